import type { Action, ActionKind } from './types.js';

/**
 * The draft's actions in the order they were added, with their ids and their positions by kind
 * beside them (ranking and linking read those many times; reading them off the actions would
 * visit 75,000 objects scattered in memory each time). An action added again under an id already
 * there replaces it in place (the first one's position, the last one's content), as in a map by
 * id. A map or set of every id costs more than the rest of this bookkeeping on large plans: `has`
 * keeps sets only for the kinds it is asked about, and `unique` settles repeats once the ids are
 * sorted (when the dependencies are linked).
 */
export class ActionList {
  /** The actions, in the order they were added, repeats included. */
  readonly actions: Action[] = [];
  /** The id of the action at each position. */
  readonly ids: string[] = [];
  /** Positions of the actions of each kind, in the order they were added. */
  readonly byKind = new Map<ActionKind, number[]>();
  /** Ids of the actions of each kind `has` was asked about, kept up to date from then on. */
  readonly #idsOf = new Map<ActionKind, Set<string>>();

  /** Adds an action (see the class comment for an id added twice). */
  add(action: Action): void {
    const position = this.actions.length;
    this.actions.push(action);
    this.ids.push(action.id);
    const positions = this.byKind.get(action.kind);
    if (positions === undefined) this.byKind.set(action.kind, [position]);
    else positions.push(position);
    this.#idsOf.get(action.kind)?.add(action.id);
  }

  /** Whether an action with this id was added. */
  has(id: string): boolean {
    const kind = id.slice(0, id.indexOf(':')) as ActionKind;
    let ids = this.#idsOf.get(kind);
    if (ids === undefined) {
      ids = new Set();
      for (const p of this.byKind.get(kind) ?? []) ids.add(this.ids[p]!);
      this.#idsOf.set(kind, ids);
    }
    return ids.has(id);
  }

  /** The list with each id once: at its first position, with the content added last. */
  unique(): ActionList {
    const last = new Map<string, number>();
    this.ids.forEach((id, p) => last.set(id, p));
    const out = new ActionList();
    const seen = new Set<string>();
    for (const id of this.ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const p = last.get(id)!;
      out.add(this.actions[p]!);
    }
    return out;
  }
}

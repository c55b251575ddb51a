import type { Action, ActionKind } from './types.js';

/**
 * The draft's actions in the order they were added. An action added again under an id already
 * there replaces it in place (the first one's position, the last one's content), as in a map by
 * id. Large plans add some 75,000 actions, and a map or set of every id costs more than the rest
 * of their bookkeeping: `has` keeps sets only for the kinds it is asked about, and `unique`
 * settles repeats once the ids are sorted (when the dependencies are linked).
 */
export class ActionList {
  readonly #added: Action[] = [];
  /** Ids of the actions of each kind `has` was asked about, kept up to date from then on. */
  readonly #idsOf = new Map<ActionKind, Set<string>>();

  /** Adds an action (see the class comment for an id added twice). */
  add(action: Action): void {
    this.#added.push(action);
    this.#idsOf.get(action.kind)?.add(action.id);
  }

  /** Whether an action with this id was added. */
  has(id: string): boolean {
    const kind = id.slice(0, id.indexOf(':')) as ActionKind;
    let ids = this.#idsOf.get(kind);
    if (ids === undefined) {
      ids = new Set();
      for (const a of this.#added) if (a.kind === kind) ids.add(a.id);
      this.#idsOf.set(kind, ids);
    }
    return ids.has(id);
  }

  /** Every action added, in order, repeats included. */
  get added(): readonly Action[] {
    return this.#added;
  }
}

/** The actions with each id once: at its first position, with the content added last. */
export function unique(actions: readonly Action[]): Action[] {
  return [...new Map(actions.map((a) => [a.id, a])).values()];
}

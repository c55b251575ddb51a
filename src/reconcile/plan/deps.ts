import type { ActionList } from './action-list.js';
import type { Draft } from './draft.js';
import { rankActions, type Graph, type Ranking } from './order.js';
import type { Action, ActionKind, ActionOf } from './types.js';

/**
 * The dependency rules, following the manual procedure: an HSM is created, then initialized;
 * a client's Network Trust Link needs the client's identity and the initialized HSM; a partition
 * assignment needs the link and the group's partition on that HSM; the group registration needs
 * every assignment; the client's configuration is fetched after everything it is made of, and
 * autoRecovery is set after that. Teardown runs the other way round. Only edges between actions
 * of the plan are kept: a step already done is not waited for.
 */

/** Which names of the dependent action a rule matches on, as a bit mask. */
const H = 1;
const C = 2;
const G = 4;

/** "Every planned action of `kind` about the same names as this one (those of `match`)." */
type Need = readonly [kind: ActionKind, match: number];

const RULES: Record<ActionKind, readonly Need[]> = {
  'hsm.create': [],
  'hsm.initialize': [['hsm.create', H], ['hsm.zeroize', H]],
  'hsm.zeroize': [['hapg.removeMember', H]],
  'hsm.delete': [['hsm.zeroize', H], ['hapg.removeMember', H], ['client.deleteServer', H]],
  'client.create': [],
  'client.delete': [['hapg.deregisterClient', C], ['partition.revoke', C], ['hsm.deregisterClient', C], ['client.deleteServer', C]],
  'client.addServer': [['client.create', C], ['hsm.initialize', H]],
  'client.deleteServer': [['hsm.deregisterClient', H | C], ['partition.revoke', H | C]],
  // Deregistering from a group may delete the client from an HSM it still needs: register after.
  'hsm.registerClient': [['client.create', C], ['hsm.initialize', H], ['hapg.deregisterClient', C]],
  'hsm.deregisterClient': [['partition.revoke', H | C]],
  'partition.assign': [['hsm.registerClient', H | C], ['hapg.addMember', G | H]],
  'partition.revoke': [['hapg.deregisterClient', G | C]],
  'hapg.create': [],
  'hapg.delete': [['hapg.removeMember', G], ['hapg.deregisterClient', G]],
  // A deregistration works on every member: let it see the group as observed, before members join.
  'hapg.addMember': [['hapg.create', G], ['hsm.initialize', H], ['hapg.removeMember', G | H], ['hapg.deregisterClient', G]],
  'hapg.removeMember': [['partition.revoke', H | G], ['client.deleteServer', H], ['hapg.deregisterClient', G]],
  // register-client-to-hapg works on every member: the group's membership changes come first.
  'hapg.registerClient': [
    ['client.create', C],
    ['hapg.create', G],
    ['partition.assign', G | C],
    ['hapg.addMember', G],
    ['hapg.removeMember', G],
  ],
  'hapg.deregisterClient': [],
  // Also the membership changes of each group it names: see `PER_GROUP`.
  'client.writeConfig': [
    ['client.create', C],
    ['hapg.registerClient', C],
    ['hapg.deregisterClient', C],
    ['client.addServer', C],
    ['client.deleteServer', C],
  ],
  'client.setAutoRecovery': [['client.create', C], ['client.writeConfig', C]],
  'hapg.recoverMember': [
    ['hapg.addMember', G | H],
    ['client.writeConfig', C],
    ['client.setAutoRecovery', C],
    ['partition.assign', H | G | C],
    ['hsm.registerClient', H | C],
    ['client.addServer', C | H],
  ],
};

/** What `client.writeConfig` waits for in each group of its `hapgLabels`: the group's membership changes. */
const PER_GROUP: readonly ActionKind[] = ['hapg.addMember', 'hapg.removeMember'];

/** Nested maps by name (HSM, then client, then HAPG, leaving out names not matched on) to positions. */
type Level = Map<string, Level | number[]>;
const NONE: readonly number[] = Object.freeze([]);

/**
 * Planned actions by kind and names, as positions in the plan's action list. Each (kind, names
 * matched on) lookup is built the first time it is asked for, over the actions of that kind only;
 * it answers without building a key or an object: large plans make hundreds of thousands of these
 * lookups.
 */
class Index {
  readonly #list: ActionList;
  /** Per kind, the lookup for each mask of names matched on. */
  readonly #lookups = new Map<ActionKind, (Level | number[] | undefined)[]>();

  constructor(list: ActionList) {
    this.#list = list;
  }

  /** The lookup of planned actions of `kind` by the names of `match` (undefined: none of that kind). */
  lookup(kind: ActionKind, match: number): Level | number[] | undefined {
    const positions = this.#list.byKind.get(kind);
    if (positions === undefined) return undefined;
    let byMatch = this.#lookups.get(kind);
    if (byMatch === undefined) this.#lookups.set(kind, (byMatch = []));
    const known = byMatch[match];
    if (known !== undefined) return known;
    if (match === 0) return (byMatch[match] = positions);
    const columns = [this.#list.h, this.#list.c, this.#list.g].filter((_names, i) => (match & (1 << i)) !== 0);
    const root: Level = new Map();
    for (const position of positions) {
      let level = root;
      for (let depth = 0; depth < columns.length; depth++) {
        const name = columns[depth]![position]!;
        const last = depth === columns.length - 1;
        let next = level.get(name);
        if (next === undefined) level.set(name, (next = last ? [] : new Map()));
        if (last) (next as number[]).push(position);
        else level = next as Level;
      }
    }
    return (byMatch[match] = root);
  }

  /** Positions of planned actions of `kind` whose names of `match` are `h`, `c` and `g`. */
  find(kind: ActionKind, match: number, h: string, c: string, g: string): readonly number[] {
    return within(this.lookup(kind, match), match, h, c, g);
  }
}

/** The positions a lookup (by the names of `match`) holds for these names. */
function within(lookup: Level | number[] | undefined, match: number, h: string, c: string, g: string): readonly number[] {
  let level = lookup;
  if (level === undefined) return NONE;
  if ((match & H) !== 0 && (level = (level as Level).get(h)) === undefined) return NONE;
  if ((match & C) !== 0 && (level = (level as Level).get(c)) === undefined) return NONE;
  if ((match & G) !== 0 && (level = (level as Level).get(g)) === undefined) return NONE;
  return level as number[];
}

/** The plan's actions, what each depends on, and their tie-break order. */
export interface Linked {
  /** In the order they were added to the draft (each id once). */
  actions: readonly Action[];
  /** Each action's dependencies, as positions in `actions`. */
  graph: Graph;
  /** The actions ranked by id and by procedure step. */
  ranking: Ranking;
}

/**
 * Fills every action's `dependsOn` (sorted by id, unique, only planned actions) and returns the
 * graph by position. Actions are visited kind by kind, each rule's lookup found once per kind.
 */
export function linkDependencies(draft: Draft): Linked {
  let list = draft.actions;
  let ranking = rankActions(list);
  if (ranking.repeats) ranking = rankActions((list = list.unique()));
  const { actions, ids, h, c, g } = list;
  const { idRank, byId } = ranking;
  const ix = new Index(list);
  const start = new Int32Array(actions.length);
  const end = new Int32Array(actions.length);
  // Grown by doubling: a plan has a few dependencies per action.
  let targets = new Int32Array(4 * actions.length + 16);
  let edges = 0;
  // The id ranks of the current action's dependencies (then sorted, each once).
  const ranks: number[] = [];
  const add = (positions: readonly number[], self: number): void => {
    for (const p of positions) if (p !== self) ranks.push(idRank[p]!);
  };

  for (const [kind, positions] of list.byKind) {
    const needs = RULES[kind].map(([k, match]) => ({ lookup: ix.lookup(k, match), match }));
    for (const self of positions) {
      ranks.length = 0;
      for (const need of needs) add(within(need.lookup, need.match, h[self]!, c[self]!, g[self]!), self);
      if (kind === 'client.writeConfig') {
        const a = actions[self] as ActionOf<'client.writeConfig'>;
        for (const label of a.params.hapgLabels) for (const k of PER_GROUP) add(ix.find(k, G, '', '', label), self);
      }
      const extra = draft.extraDeps.size === 0 ? undefined : draft.extraDeps.get(ids[self]!);
      for (const ref of extra ?? []) {
        const { h: rh, c: rc, g: rg } = ref.names;
        const match = (rh !== undefined ? H : 0) | (rc !== undefined ? C : 0) | (rg !== undefined ? G : 0);
        add(ix.find(ref.kind, match, rh ?? '', rc ?? '', rg ?? ''), self);
      }
      if (ranks.length > 1) sortUnique(ranks);
      const dependsOn = ranks.length === 0 ? [] : new Array<string>(ranks.length);
      if (edges + ranks.length > targets.length) {
        const grown = new Int32Array(2 * (edges + ranks.length));
        grown.set(targets);
        targets = grown;
      }
      start[self] = edges;
      for (let i = 0; i < ranks.length; i++) {
        const p = byId[ranks[i]!]!;
        targets[edges++] = p;
        dependsOn[i] = ids[p]!;
      }
      end[self] = edges;
      actions[self]!.dependsOn = dependsOn;
    }
  }
  return { actions, graph: { start, end, targets }, ranking };
}

/** Sorts a list of integers in place and drops repeats (lists are short: insertion sort). */
function sortUnique(list: number[]): void {
  if (list.length > 32) list.sort((x, y) => x - y);
  else {
    for (let i = 1; i < list.length; i++) {
      const value = list[i]!;
      let j = i;
      for (; j > 0 && list[j - 1]! > value; j--) list[j] = list[j - 1]!;
      list[j] = value;
    }
  }
  let kept = 0;
  for (let i = 0; i < list.length; i++) if (i === 0 || list[i] !== list[i - 1]) list[kept++] = list[i]!;
  list.length = kept;
}

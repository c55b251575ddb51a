import type { ActionList } from './action-list.js';
import type { Draft } from './draft.js';
import { rankActions, type Graph, type Ranking } from './order.js';
import type { Action, ActionKind } from './types.js';

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
  'hsm.setProtection': [['hsm.create', H]],
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
  // The client's library takes a member it cannot reach out of rotation when it loads the file:
  // every link and assignment it needs comes first, also when no group registration is planned.
  'client.writeConfig': [
    ['client.create', C],
    ['hsm.registerClient', C],
    ['partition.assign', C],
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

/** The names an action is about, in its params. */
type NamedParams = { hsmName?: string; clientName?: string; hapgLabel?: string };
/** The params key of each name bit (h, c, g). */
const NAME_KEYS: readonly (keyof NamedParams)[] = ['hsmName', 'clientName', 'hapgLabel'];

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
    const columns = NAME_KEYS.filter((_key, i) => (match & (1 << i)) !== 0);
    const root: Level = new Map();
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i]!;
      const names = this.#list.actions[position]!.params as NamedParams;
      let level = root;
      for (let depth = 0; depth < columns.length; depth++) {
        const name = names[columns[depth]!] ?? '';
        const next = level.get(name);
        if (depth < columns.length - 1) {
          if (next === undefined) level.set(name, (level = new Map()));
          else level = next as Level;
        } else if (next === undefined) level.set(name, [position]); // most hold one: no room for more
        else (next as number[]).push(position);
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
  const { actions, ids } = list;
  const { idRank, byId } = ranking;
  const ix = new Index(list);
  const start = new Int32Array(actions.length);
  const end = new Int32Array(actions.length);
  // Grown by doubling: a plan has a few dependencies per action.
  let targets = new Int32Array(4 * actions.length + 16);
  let edges = 0;
  // The id ranks of the current action's dependencies (then sorted, each once).
  const ranks = new Ranks();

  // Only a few actions have dependencies a stage added: their kinds are the only ones to look them up for.
  const extraKinds = new Set([...draft.extraDeps.keys()].map((id) => id.slice(0, id.indexOf(':'))));

  // Indexed loops and small functions: this runs once per plan, mostly before the optimizing
  // compiler has seen it, where every `for…of` step allocates.
  for (const [kind, positions] of list.byKind) {
    const lookups = RULES[kind].map(([k, match]) => ({ lookup: ix.lookup(k, match), match }));
    const more = kind === 'client.writeConfig' || extraKinds.has(kind);
    for (let i = 0; i < positions.length; i++) {
      const self = positions[i]!;
      const a = actions[self]!;
      ranks.size = 0;
      collect(ranks, idRank, self, a.params as NamedParams, lookups);
      if (more) collectMore(ranks, idRank, self, a, ix, draft);
      ranks.sortUnique();
      const count = ranks.size;
      const dependsOn = count === 0 ? [] : new Array<string>(count);
      if (edges + count > targets.length) {
        const grown = new Int32Array(2 * (edges + count));
        grown.set(targets);
        targets = grown;
      }
      start[self] = edges;
      for (let j = 0; j < count; j++) {
        const p = byId[ranks.values[j]!]!;
        targets[edges++] = p;
        dependsOn[j] = ids[p]!;
      }
      end[self] = edges;
      a.dependsOn = dependsOn;
    }
  }
  return { actions, graph: { start, end, targets }, ranking };
}

/** One rule's lookup, found once per kind. */
interface Lookup {
  lookup: Level | number[] | undefined;
  match: number;
}

/** Adds to `ranks` the id ranks of what the general rules make the action at `self` wait for. */
function collect(ranks: Ranks, idRank: Int32Array, self: number, p: NamedParams, lookups: readonly Lookup[]): void {
  const h = p.hsmName ?? '';
  const c = p.clientName ?? '';
  const g = p.hapgLabel ?? '';
  for (let i = 0; i < lookups.length; i++) {
    const positions = within(lookups[i]!.lookup, lookups[i]!.match, h, c, g);
    for (let j = 0; j < positions.length; j++) if (positions[j] !== self) ranks.push(idRank[positions[j]!]!);
  }
}

/** Adds to `ranks` what `client.writeConfig` waits for in its groups, and what a stage added (`extraDeps`). */
function collectMore(ranks: Ranks, idRank: Int32Array, self: number, a: Action, ix: Index, draft: Draft): void {
  const found: (readonly number[])[] = [];
  if (a.kind === 'client.writeConfig') {
    for (const label of a.params.hapgLabels) for (const kind of PER_GROUP) found.push(ix.find(kind, G, '', '', label));
  }
  for (const ref of draft.extraDeps.get(a.id) ?? []) {
    const { h, c, g } = ref.names;
    const match = (h !== undefined ? H : 0) | (c !== undefined ? C : 0) | (g !== undefined ? G : 0);
    found.push(ix.find(ref.kind, match, h ?? '', c ?? '', g ?? ''));
  }
  for (const positions of found) for (let i = 0; i < positions.length; i++) if (positions[i] !== self) ranks.push(idRank[positions[i]!]!);
}

/**
 * A reusable list of integers (the id ranks of one action's dependencies): typed, and kept at its
 * size, since emptying a plain array by setting its length frees its storage and the next push
 * allocates it again.
 */
class Ranks {
  values = new Int32Array(64);
  size = 0;

  push(value: number): void {
    if (this.size === this.values.length) {
      const grown = new Int32Array(2 * this.size);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  /** Sorts the list and drops repeats (lists are short: insertion sort). */
  sortUnique(): void {
    const values = this.values;
    const size = this.size;
    if (size < 2) return;
    if (size > 32) values.subarray(0, size).sort();
    else {
      for (let i = 1; i < size; i++) {
        const value = values[i]!;
        let j = i;
        for (; j > 0 && values[j - 1]! > value; j--) values[j] = values[j - 1]!;
        values[j] = value;
      }
    }
    let kept = 1;
    for (let i = 1; i < size; i++) if (values[i] !== values[kept - 1]) values[kept++] = values[i]!;
    this.size = kept;
  }
}

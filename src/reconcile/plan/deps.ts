import { namesOf, type Draft, type Names as NamesGiven } from './draft.js';
import { compareText } from './kinds.js';
import type { Action, ActionKind } from './types.js';

/**
 * The dependency rules, following the manual procedure: an HSM is created, then initialized;
 * a client's Network Trust Link needs the client's identity and the initialized HSM; a partition
 * assignment needs the link and the group's partition on that HSM; the group registration needs
 * every assignment; the client's configuration is fetched after everything it is made of, and
 * autoRecovery is set after that. Teardown runs the other way round. Only edges between actions
 * of the plan are kept: a step already done is not waited for.
 */

type Names = Required<NamesGiven>;
/** A rule's answer: lists of positions (in the plan's action list) of the actions depended on. */
type Wanted = readonly (readonly number[])[];
type Rule = (n: Names, a: Action, ix: Index) => Wanted;

/** Nested maps by name (HSM, then client, then HAPG, leaving out names not asked for) to positions. */
type Level = Map<string, Level | number[]>;

/**
 * Planned actions by kind and names, as positions in the plan's action list. Each (kind, which
 * names) lookup is built the first time it is asked for, over the actions of that kind only, and
 * answers without building a key: large plans make hundreds of thousands of these lookups.
 */
class Index {
  readonly #byKind = new Map<ActionKind, number[]>();
  /** Per kind, the lookup for each set of names asked for (by `patternOf`). */
  readonly #lookups = new Map<ActionKind, (Level | number[] | undefined)[]>();
  readonly #names: Names[];

  constructor(actions: readonly Action[]) {
    this.#names = actions.map((a) => namesOf(a.params));
    actions.forEach((a, position) => {
      const list = this.#byKind.get(a.kind);
      if (list === undefined) this.#byKind.set(a.kind, [position]);
      else list.push(position);
    });
  }

  /** The names of the action at `position`. */
  namesAt(position: number): Names {
    return this.#names[position]!;
  }

  /** Positions of planned actions of `kind` whose names match every name given (all its names given: the one action). */
  all(kind: ActionKind, match: NamesGiven): readonly number[] {
    const positions = this.#byKind.get(kind);
    if (positions === undefined) return NONE;
    const pattern = patternOf(match);
    let level: Level | number[] | undefined = this.#lookup(kind, pattern, positions);
    for (const k of PATTERN_KEYS[pattern]!) {
      level = (level as Level).get(match[k]!);
      if (level === undefined) return NONE;
    }
    return level as number[];
  }

  #lookup(kind: ActionKind, pattern: number, positions: number[]): Level | number[] {
    let byPattern = this.#lookups.get(kind);
    if (byPattern === undefined) this.#lookups.set(kind, (byPattern = []));
    const known = byPattern[pattern];
    if (known !== undefined) return known;
    const keys = PATTERN_KEYS[pattern]!;
    if (keys.length === 0) return (byPattern[pattern] = positions);
    const root: Level = new Map();
    for (const position of positions) {
      const names = this.#names[position]!;
      let level = root;
      keys.forEach((k, depth) => {
        const last = depth === keys.length - 1;
        let next = level.get(names[k]);
        if (next === undefined) level.set(names[k], (next = last ? [] : new Map()));
        if (last) (next as number[]).push(position);
        else level = next as Level;
      });
    }
    return (byPattern[pattern] = root);
  }
}

type NameKey = keyof Names;
const NAME_KEYS: readonly NameKey[] = ['h', 'c', 'g'];
/** Which names a match gives, as a bit mask (h = 1, c = 2, g = 4). */
const patternOf = (match: NamesGiven): number =>
  (match.h !== undefined ? 1 : 0) | (match.c !== undefined ? 2 : 0) | (match.g !== undefined ? 4 : 0);
/** The names of each pattern, in lookup order. */
const PATTERN_KEYS: readonly (readonly NameKey[])[] = Array.from({ length: 8 }, (_, mask) => NAME_KEYS.filter((_k, i) => (mask & (1 << i)) !== 0));
const NONE: readonly number[] = Object.freeze([]);

const RULES: Record<ActionKind, Rule> = {
  'hsm.create': () => [],
  'hsm.initialize': ({ h }, _a, ix) => [ix.all('hsm.create', { h }), ix.all('hsm.zeroize', { h })],
  'hsm.zeroize': ({ h }, _a, ix) => [ix.all('hapg.removeMember', { h })],
  'hsm.delete': ({ h }, _a, ix) => [ix.all('hsm.zeroize', { h }), ix.all('hapg.removeMember', { h }), ix.all('client.deleteServer', { h })],
  'client.create': () => [],
  'client.delete': ({ c }, _a, ix) => [
    ix.all('hapg.deregisterClient', { c }),
    ix.all('partition.revoke', { c }),
    ix.all('hsm.deregisterClient', { c }),
    ix.all('client.deleteServer', { c }),
  ],
  'client.addServer': ({ h, c }, _a, ix) => [ix.all('client.create', { c }), ix.all('hsm.initialize', { h })],
  'client.deleteServer': ({ h, c }, _a, ix) => [ix.all('hsm.deregisterClient', { h, c }), ix.all('partition.revoke', { h, c })],
  // Deregistering from a group may delete the client from an HSM it still needs: register after.
  'hsm.registerClient': ({ h, c }, _a, ix) => [ix.all('client.create', { c }), ix.all('hsm.initialize', { h }), ix.all('hapg.deregisterClient', { c })],
  'hsm.deregisterClient': ({ h, c }, _a, ix) => [ix.all('partition.revoke', { h, c })],
  'partition.assign': ({ h, g, c }, _a, ix) => [ix.all('hsm.registerClient', { h, c }), ix.all('hapg.addMember', { g, h })],
  'partition.revoke': ({ g, c }, _a, ix) => [ix.all('hapg.deregisterClient', { g, c })],
  'hapg.create': () => [],
  'hapg.delete': ({ g }, _a, ix) => [ix.all('hapg.removeMember', { g }), ix.all('hapg.deregisterClient', { g })],
  // A deregistration works on every member: let it see the group as observed, before members join.
  'hapg.addMember': ({ g, h }, _a, ix) => [
    ix.all('hapg.create', { g }),
    ix.all('hsm.initialize', { h }),
    ix.all('hapg.removeMember', { g, h }),
    ix.all('hapg.deregisterClient', { g }),
  ],
  'hapg.removeMember': ({ g, h }, _a, ix) => [
    ix.all('partition.revoke', { h, g }),
    ix.all('client.deleteServer', { h }),
    ix.all('hapg.deregisterClient', { g }),
  ],
  // register-client-to-hapg works on every member: the group's membership changes come first.
  'hapg.registerClient': ({ g, c }, _a, ix) => [
    ix.all('client.create', { c }),
    ix.all('hapg.create', { g }),
    ix.all('partition.assign', { g, c }),
    ix.all('hapg.addMember', { g }),
    ix.all('hapg.removeMember', { g }),
  ],
  'hapg.deregisterClient': () => [],
  'client.writeConfig': ({ c }, a, ix) => {
    const groups = a.kind === 'client.writeConfig' ? a.params.hapgLabels : [];
    return [
      ix.all('client.create', { c }),
      ix.all('hapg.registerClient', { c }),
      ix.all('hapg.deregisterClient', { c }),
      ix.all('client.addServer', { c }),
      ix.all('client.deleteServer', { c }),
      ...groups.flatMap((g) => [ix.all('hapg.addMember', { g }), ix.all('hapg.removeMember', { g })]),
    ];
  },
  'client.setAutoRecovery': ({ c }, _a, ix) => [ix.all('client.create', { c }), ix.all('client.writeConfig', { c })],
  'hapg.recoverMember': ({ h, g, c }, _a, ix) => [
    ix.all('hapg.addMember', { g, h }),
    ix.all('client.writeConfig', { c }),
    ix.all('client.setAutoRecovery', { c }),
    ix.all('partition.assign', { h, g, c }),
    ix.all('hsm.registerClient', { h, c }),
    ix.all('client.addServer', { c, h }),
  ],
};

/** The plan's actions and, for each, the positions of the actions it depends on. */
export interface Linked {
  actions: Action[];
  dependencies: number[][];
}

/** Fills every action's `dependsOn` (sorted, unique, only planned actions) and returns the graph by position. */
export function linkDependencies(draft: Draft): Linked {
  const actions = [...draft.actions.values()];
  const ix = new Index(actions);
  const dependencies = actions.map((a, self) => {
    // Positions may repeat: ordering counts each edge both ways, so repeats are harmless there.
    const found: number[] = [];
    for (const positions of RULES[a.kind](ix.namesAt(self), a, ix)) for (const p of positions) if (p !== self) found.push(p);
    for (const ref of draft.extraDeps.get(a.id) ?? []) for (const p of ix.all(ref.kind, ref.names)) if (p !== self) found.push(p);
    a.dependsOn = uniqueIds(found.map((p) => actions[p]!.id));
    return found;
  });
  return { actions, dependencies };
}

/** Ids sorted, each once. */
function uniqueIds(ids: string[]): string[] {
  if (ids.length < 2) return ids;
  ids.sort(compareText);
  return ids.filter((id, i) => i === 0 || id !== ids[i - 1]);
}

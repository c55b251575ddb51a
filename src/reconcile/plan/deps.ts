import type { Draft } from './draft.js';
import { idOf, namesOf } from './draft.js';
import type { Action, ActionKind } from './types.js';

/**
 * The dependency rules, following the manual procedure: an HSM is created, then initialized;
 * a client's Network Trust Link needs the client's identity and the initialized HSM; a partition
 * assignment needs the link and the group's partition on that HSM; the group registration needs
 * every assignment; the client's configuration is fetched after everything it is made of, and
 * autoRecovery is set after that. Teardown runs the other way round. Only edges between actions
 * of the plan are kept: a step already done is not waited for.
 */

type Names = { h: string; c: string; g: string };
type Rule = (n: Names, a: Action, ix: Index) => string[];

/** Planned actions by kind, to find "every action of kind K about X". */
class Index {
  /** Action ids by kind and by every subset of their names (a name left out matches any). */
  readonly #byKey = new Map<string, string[]>();
  constructor(actions: Iterable<Action>) {
    for (const a of actions) {
      const n = namesOf(a.params);
      for (const h of [n.h, ANY]) {
        for (const c of [n.c, ANY]) {
          for (const g of [n.g, ANY]) {
            const key = keyOf(a.kind, h, c, g);
            const list = this.#byKey.get(key);
            if (list === undefined) this.#byKey.set(key, [a.id]);
            else list.push(a.id);
          }
        }
      }
    }
  }
  /** Ids of planned actions of `kind` whose names match every name given. */
  all(kind: ActionKind, match: Partial<Names>): string[] {
    return this.#byKey.get(keyOf(kind, match.h ?? ANY, match.c ?? ANY, match.g ?? ANY)) ?? [];
  }
}

/** Stands for "any name" in an index key (names never contain a NUL). */
const ANY = '\u0000';
const keyOf = (kind: string, h: string | undefined, c: string | undefined, g: string | undefined): string =>
  JSON.stringify([kind, h ?? null, c ?? null, g ?? null]);

const one = (kind: ActionKind, names: Partial<Names>): string[] => [idOf(kind, names)];

const RULES: Record<ActionKind, Rule> = {
  'hsm.create': () => [],
  'hsm.initialize': ({ h }) => [...one('hsm.create', { h }), ...one('hsm.zeroize', { h })],
  'hsm.zeroize': ({ h }, _a, ix) => ix.all('hapg.removeMember', { h }),
  'hsm.delete': ({ h }, _a, ix) => [...one('hsm.zeroize', { h }), ...ix.all('hapg.removeMember', { h }), ...ix.all('client.deleteServer', { h })],
  'client.create': () => [],
  'client.delete': ({ c }, _a, ix) => [
    ...ix.all('hapg.deregisterClient', { c }),
    ...ix.all('partition.revoke', { c }),
    ...ix.all('hsm.deregisterClient', { c }),
    ...ix.all('client.deleteServer', { c }),
  ],
  'client.addServer': ({ h, c }) => [...one('client.create', { c }), ...one('hsm.initialize', { h })],
  'client.deleteServer': ({ h, c }, _a, ix) => [...one('hsm.deregisterClient', { h, c }), ...ix.all('partition.revoke', { h, c })],
  // Deregistering from a group may delete the client from an HSM it still needs: register after.
  'hsm.registerClient': ({ h, c }, _a, ix) => [...one('client.create', { c }), ...one('hsm.initialize', { h }), ...ix.all('hapg.deregisterClient', { c })],
  'hsm.deregisterClient': ({ h, c }, _a, ix) => ix.all('partition.revoke', { h, c }),
  'partition.assign': ({ h, g, c }) => [...one('hsm.registerClient', { h, c }), ...one('hapg.addMember', { g, h })],
  'partition.revoke': ({ g, c }) => one('hapg.deregisterClient', { g, c }),
  'hapg.create': () => [],
  'hapg.delete': ({ g }, _a, ix) => [...ix.all('hapg.removeMember', { g }), ...ix.all('hapg.deregisterClient', { g })],
  // A deregistration works on every member: let it see the group as observed, before members join.
  'hapg.addMember': ({ g, h }, _a, ix) => [
    ...one('hapg.create', { g }),
    ...one('hsm.initialize', { h }),
    ...one('hapg.removeMember', { g, h }),
    ...ix.all('hapg.deregisterClient', { g }),
  ],
  'hapg.removeMember': ({ g, h }, _a, ix) => [
    ...ix.all('partition.revoke', { h, g }),
    ...ix.all('client.deleteServer', { h }),
    ...ix.all('hapg.deregisterClient', { g }),
  ],
  // register-client-to-hapg works on every member: the group's membership changes come first.
  'hapg.registerClient': ({ g, c }, _a, ix) => [
    ...one('client.create', { c }),
    ...one('hapg.create', { g }),
    ...ix.all('partition.assign', { g, c }),
    ...ix.all('hapg.addMember', { g }),
    ...ix.all('hapg.removeMember', { g }),
  ],
  'hapg.deregisterClient': () => [],
  'client.writeConfig': ({ c }, a, ix) => {
    const groups = a.kind === 'client.writeConfig' ? a.params.hapgLabels : [];
    return [
      ...one('client.create', { c }),
      ...ix.all('hapg.registerClient', { c }),
      ...ix.all('hapg.deregisterClient', { c }),
      ...ix.all('client.addServer', { c }),
      ...ix.all('client.deleteServer', { c }),
      ...groups.flatMap((g) => [...ix.all('hapg.addMember', { g }), ...ix.all('hapg.removeMember', { g })]),
    ];
  },
  'client.setAutoRecovery': ({ c }) => [...one('client.create', { c }), ...one('client.writeConfig', { c })],
  'hapg.recoverMember': ({ h, g, c }) => [
    ...one('hapg.addMember', { g, h }),
    ...one('client.writeConfig', { c }),
    ...one('client.setAutoRecovery', { c }),
    ...one('partition.assign', { h, g, c }),
    ...one('hsm.registerClient', { h, c }),
    ...one('client.addServer', { c, h }),
  ],
};

/** Fills every action's `dependsOn` (sorted, unique, only planned actions). */
export function linkDependencies(draft: Draft): void {
  const ix = new Index(draft.actions.values());
  for (const a of draft.actions.values()) {
    const wanted = [...RULES[a.kind](namesOf(a.params), a, ix), ...(draft.extraDeps.get(a.id) ?? [])];
    a.dependsOn = [...new Set(wanted)].filter((id) => id !== a.id && draft.actions.has(id)).sort();
  }
}

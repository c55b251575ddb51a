import type { Action, ActionKind, ActionOf, ActionParamsByKind, ChangeType, DriftItem, FieldValue, ResourceType } from './types.js';
import type { Facts, HsmFacts } from './facts.js';
import type { HapgMember } from '../../fleet/types.js';
import type { ActionList } from './action-list.js';
import { flat } from './shared.js';

/**
 * The plan being assembled: each stage (HSMs, HAPGs, clients, client configuration) adds its
 * actions, drift and warnings here; dependencies, safety checks and ordering come afterwards.
 */
export interface Draft {
  /** The paired fleets. */
  facts: Facts;
  /** The actions, in the order they were added (one per id). */
  actions: ActionList;
  /** Out-of-band changes found so far. */
  drift: DriftItem[];
  /** Warnings so far. */
  warnings: string[];
  /** Each HAPG's members now and after the plan, by HAPG label (filled by the HAPG stage). */
  memberships: Map<string, Membership[]>;
  /** Dependencies a stage adds beyond the general rules, by action id (only planned ones are kept). */
  extraDeps: Map<string, ActionRef[]>;
  /** Clients named by a planned action, and HAPGs named by a planned action of no client. */
  touched: { clients: Set<string>; groups: Set<string> };
  /** The `resource` object shared by the actions grouped under each resource, by type and name. */
  resources: Record<ResourceType, Map<string, Action['resource']>>;
  /**
   * For a destructive member removal whose member holds some objects the staying members lack,
   * and some they hold too: how many only it holds, by action id (what the refusal says it loses).
   */
  onlyCopies: Map<string, number>;
  /** Addresses of changes that wait for an unreachable HSM (`Plan.deferred`). */
  deferred: Set<string>;
}

/**
 * What becomes of one member of a HAPG: `keep` (declared, there and sound), `add` (declared, not
 * there), `readd` (declared and listed, but its partition is gone or about to be wiped: removed
 * and added again), `remove` (listed, no longer declared), `blocked` (declared, not there, and its
 * HSM is unreachable), `stray` (listed, not declared, and hsmctl cannot act on it: left alone).
 */
export type MemberFate = 'keep' | 'add' | 'readd' | 'remove' | 'blocked' | 'stray';

/** One HAPG member and its fate. */
export interface Membership {
  /** The member HSM; undefined for a member whose HSM hsmctl does not manage. */
  hsm: HsmFacts | undefined;
  /** The control plane's member record, when it lists the HSM. */
  observed: HapgMember | undefined;
  /** What the plan does with it. */
  fate: MemberFate;
}

/** What a stage says about one action; id, address, resource and dependencies are derived. */
export interface ActionSpec<K extends ActionKind> {
  /** See `Action.change`. */
  change: ChangeType;
  /** See `Action.reason`. */
  reason: string;
  /** See `Action.before`. */
  before: Record<string, FieldValue> | null;
  /** See `Action.after`. */
  after: Record<string, FieldValue> | null;
  /** See `Action.params`; the names in it also give the action's id and address. */
  params: ActionParamsByKind[K];
  /** Default false. */
  destructive?: boolean;
}

/** The HSM, client and HAPG names an action is about (`h`, `c`, `g`); a kind's id is made of exactly its names. */
export type Names = { h?: string; c?: string; g?: string };

/** The action of `kind` about these names, planned or not. */
export interface ActionRef {
  kind: ActionKind;
  names: Names;
}

/** Where an action is: the resource it is grouped under, its address, and the key that (with its kind) makes its id. */
interface Shape {
  type: ResourceType;
  address: (h: string, c: string, g: string) => string;
  key: (h: string, c: string, g: string) => string;
}

// Addresses and keys are flattened (`flat`): a plan keeps them, and large plans hold many.
const HSM: Shape = { type: 'hsm', address: (h) => flat(`hsm.${h}`), key: (h) => h };
const PROTECTION: Shape = { type: 'hsm', address: (h) => flat(`hsm.${h}.protect`), key: (h) => h };
const CLIENT: Shape = { type: 'client', address: (_h, c) => flat(`client.${c}`), key: (_h, c) => c };
const SERVER: Shape = { type: 'client', address: (h, c) => flat(`client.${c}.server.${h}`), key: (h, c) => `${c}.${h}` };
const APPLIANCE_CLIENT: Shape = { type: 'hsm', address: (h, c) => flat(`hsm.${h}.client.${c}`), key: (h, c) => `${h}.${c}` };
const ASSIGNMENT: Shape = { type: 'hsm', address: (h, c, g) => flat(`hsm.${h}.partition.${g}.${c}`), key: (h, c, g) => `${h}.${g}.${c}` };
const HAPG: Shape = { type: 'hapg', address: (_h, _c, g) => flat(`hapg.${g}`), key: (_h, _c, g) => g };
const MEMBER: Shape = { type: 'hapg', address: (h, _c, g) => flat(`hapg.${g}.member.${h}`), key: (h, _c, g) => `${g}.${h}` };
const REGISTRATION: Shape = { type: 'hapg', address: (_h, c, g) => flat(`hapg.${g}.client.${c}`), key: (_h, c, g) => `${g}.${c}` };
const CONFIG: Shape = { type: 'client', address: (_h, c) => flat(`client.${c}.config`), key: (_h, c) => c };
const AUTO_RECOVERY: Shape = { type: 'client', address: (_h, c) => flat(`client.${c}.autoRecovery`), key: (_h, c) => c };
const RECOVERY: Shape = {
  type: 'client',
  address: (h, c, g) => flat(`client.${c}.hapg.${g}.member.${h}`),
  key: (h, c, g) => `${c}.${g}.${h}`,
};

/** Address and id key of each kind, from the names it is about. */
const LOCATE: Record<ActionKind, Shape> = {
  'hsm.create': HSM,
  'hsm.initialize': HSM,
  'hsm.setProtection': PROTECTION,
  'hsm.zeroize': HSM,
  'hsm.delete': HSM,
  'client.create': CLIENT,
  'client.delete': CLIENT,
  'client.addServer': SERVER,
  'client.deleteServer': SERVER,
  'hsm.registerClient': APPLIANCE_CLIENT,
  'hsm.deregisterClient': APPLIANCE_CLIENT,
  'partition.assign': ASSIGNMENT,
  'partition.revoke': ASSIGNMENT,
  'hapg.create': HAPG,
  'hapg.delete': HAPG,
  'hapg.addMember': MEMBER,
  'hapg.removeMember': MEMBER,
  'hapg.registerClient': REGISTRATION,
  'hapg.deregisterClient': REGISTRATION,
  'client.writeConfig': CONFIG,
  'client.setAutoRecovery': AUTO_RECOVERY,
  'hapg.recoverMember': RECOVERY,
};

/** `<kind>:`, the start of every id of the kind. */
const ID_PREFIX = Object.fromEntries(Object.keys(LOCATE).map((kind) => [kind, `${kind}:`])) as Record<ActionKind, string>;

/** The id an action of `kind` about these names has (whether or not it is planned). */
export function idOf(kind: ActionKind, names: Names): string {
  return ID_PREFIX[kind] + LOCATE[kind].key(names.h ?? '', names.c ?? '', names.g ?? '');
}

/** The address an action of `kind` about these names has (whether or not it is planned). */
export function addressOf(kind: ActionKind, names: Names): string {
  return LOCATE[kind].address(names.h ?? '', names.c ?? '', names.g ?? '');
}

/** `dependsOn` until the dependencies are linked (`deps.ts` gives every action an array of its own). */
const UNLINKED: string[] = Object.freeze([]) as unknown as string[];

/** Adds an action to the draft and returns its id. */
export function addAction<K extends ActionKind>(draft: Draft, kind: K, spec: ActionSpec<K>): string {
  const p = spec.params as { hsmName?: string; clientName?: string; hapgLabel?: string };
  const h = p.hsmName ?? '';
  const c = p.clientName ?? '';
  const g = p.hapgLabel ?? '';
  const shape = LOCATE[kind];
  const id = flat(ID_PREFIX[kind] + shape.key(h, c, g));
  const action = {
    id,
    kind,
    address: shape.address(h, c, g),
    resource: resourceOf(draft, shape.type, shape.type === 'hsm' ? h : shape.type === 'client' ? c : g),
    change: spec.change,
    dependsOn: UNLINKED,
    destructive: spec.destructive ?? false,
    reason: flat(spec.reason),
    before: spec.before,
    after: spec.after,
    params: spec.params,
  } as unknown as ActionOf<K>;
  draft.actions.add(action);
  if (p.clientName !== undefined) draft.touched.clients.add(p.clientName);
  else if (p.hapgLabel !== undefined) draft.touched.groups.add(p.hapgLabel);
  return id;
}

/** The one (frozen) `resource` object of the draft's actions grouped under this resource. */
function resourceOf(draft: Draft, type: ResourceType, name: string): Action['resource'] {
  const byName = draft.resources[type];
  let resource = byName.get(name);
  if (resource === undefined) byName.set(name, (resource = Object.freeze({ type, name })));
  return resource;
}

/** Records an out-of-band change and the actions that revert it (only those planned). */
export function addDrift(draft: Draft, address: string, description: string, actionIds: string[]): void {
  const planned = actionIds.filter((id) => draft.actions.has(id));
  if (planned.length > 0) draft.drift.push({ address, description, actionIds: planned });
}

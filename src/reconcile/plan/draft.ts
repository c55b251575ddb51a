import type { Action, ActionKind, ActionOf, ActionParamsByKind, ChangeType, DriftItem, FieldValue, ResourceType } from './types.js';
import type { Facts, HsmFacts } from './facts.js';
import type { HapgMember } from '../../fleet/types.js';

/**
 * The plan being assembled: each stage (HSMs, HAPGs, clients, client configuration) adds its
 * actions, drift and warnings here; dependencies, safety checks and ordering come afterwards.
 */
export interface Draft {
  /** The paired fleets. */
  facts: Facts;
  /** Actions by id, in the order they were added. */
  actions: Map<string, Action>;
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

/** Where an action is: its address, and the key that (with its kind) makes its id. */
interface Shape {
  address: (n: Required<Names>) => string;
  key: (n: Required<Names>) => string;
}

const HSM: Shape = { address: (n) => `hsm.${n.h}`, key: (n) => n.h };
const CLIENT: Shape = { address: (n) => `client.${n.c}`, key: (n) => n.c };
const SERVER: Shape = { address: (n) => `client.${n.c}.server.${n.h}`, key: (n) => `${n.c}.${n.h}` };
const APPLIANCE_CLIENT: Shape = { address: (n) => `hsm.${n.h}.client.${n.c}`, key: (n) => `${n.h}.${n.c}` };
const ASSIGNMENT: Shape = { address: (n) => `hsm.${n.h}.partition.${n.g}.${n.c}`, key: (n) => `${n.h}.${n.g}.${n.c}` };
const HAPG: Shape = { address: (n) => `hapg.${n.g}`, key: (n) => n.g };
const MEMBER: Shape = { address: (n) => `hapg.${n.g}.member.${n.h}`, key: (n) => `${n.g}.${n.h}` };
const REGISTRATION: Shape = { address: (n) => `hapg.${n.g}.client.${n.c}`, key: (n) => `${n.g}.${n.c}` };
const CONFIG: Shape = { address: (n) => `client.${n.c}.config`, key: (n) => n.c };
const AUTO_RECOVERY: Shape = { address: (n) => `client.${n.c}.autoRecovery`, key: (n) => n.c };
const RECOVERY: Shape = { address: (n) => `client.${n.c}.hapg.${n.g}.member.${n.h}`, key: (n) => `${n.c}.${n.g}.${n.h}` };

/** Address and id key of each kind, from the names it is about. */
const LOCATE: Record<ActionKind, Shape> = {
  'hsm.create': HSM,
  'hsm.initialize': HSM,
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

/** The HSM, client and HAPG names an action is about, read from its params. */
export function namesOf(params: object): Required<Names> {
  const p = params as { hsmName?: string; clientName?: string; hapgLabel?: string };
  return { h: p.hsmName ?? '', c: p.clientName ?? '', g: p.hapgLabel ?? '' };
}

/** The id an action of `kind` about these names has (whether or not it is planned). */
export function idOf(kind: ActionKind, names: Names): string {
  return `${kind}:${LOCATE[kind].key({ h: names.h ?? '', c: names.c ?? '', g: names.g ?? '' })}`;
}

/** Adds an action to the draft and returns its id. */
export function addAction<K extends ActionKind>(draft: Draft, kind: K, spec: ActionSpec<K>): string {
  const names = namesOf(spec.params);
  const shape = LOCATE[kind];
  const address = shape.address(names);
  const id = `${kind}:${shape.key(names)}`;
  const type = address.slice(0, address.indexOf('.')) as ResourceType;
  const name = type === 'hsm' ? names.h : type === 'client' ? names.c : names.g;
  const action = {
    id,
    kind,
    address,
    resource: { type, name },
    change: spec.change,
    dependsOn: [],
    destructive: spec.destructive ?? false,
    reason: spec.reason,
    before: spec.before,
    after: spec.after,
    params: spec.params,
  } as unknown as ActionOf<K>;
  draft.actions.set(id, action);
  const p = spec.params as { clientName?: string; hapgLabel?: string };
  if (p.clientName !== undefined) draft.touched.clients.add(p.clientName);
  else if (p.hapgLabel !== undefined) draft.touched.groups.add(p.hapgLabel);
  return id;
}

/** Records an out-of-band change and the actions that revert it (only those planned). */
export function addDrift(draft: Draft, address: string, description: string, actionIds: string[]): void {
  const planned = actionIds.filter((id) => draft.actions.has(id));
  if (planned.length > 0) draft.drift.push({ address, description, actionIds: planned });
}

import type { Reachability } from '../../fleet/types.js';

/**
 * A plan: what `apply` would do to make the observed fleet match the configuration. Plain
 * serialisable data (JSON round-trips it unchanged); it never holds a secret value. Markers,
 * colours and wording belong to the renderers in `src/render/`.
 */

/** Stable action kinds (SPEC §4), named after the manual procedure's steps. */
export type ActionKind =
  | 'hsm.create'
  | 'hsm.initialize'
  | 'hsm.setProtection'
  | 'hsm.zeroize'
  | 'hsm.delete'
  | 'client.create'
  | 'client.delete'
  | 'client.addServer'
  | 'client.deleteServer'
  | 'hsm.registerClient'
  | 'hsm.deregisterClient'
  | 'partition.assign'
  | 'partition.revoke'
  | 'hapg.create'
  | 'hapg.delete'
  | 'hapg.addMember'
  | 'hapg.removeMember'
  | 'hapg.registerClient'
  | 'hapg.deregisterClient'
  | 'client.writeConfig'
  | 'client.setAutoRecovery'
  | 'hapg.recoverMember';

/** What an action does to its target, for markers and the summary. */
export type ChangeType = 'create' | 'update' | 'delete' | 'replace' | 'recover';

/** A value that only exists once apply has run (an ARN, a serial): `(known after apply)`. */
export interface UnknownValue {
  unknown: true;
}

/** A before/after field value. Secrets appear only as the string `(sensitive)`. */
export type FieldValue = string | number | boolean | null | string[] | UnknownValue;

/** The kind of resource an action is grouped under. */
export type ResourceType = 'hsm' | 'hapg' | 'client';

/**
 * Names and ARNs the executor needs, per kind. Never secrets; a value not known yet (the ARN of
 * something this plan creates) is absent. `host` is the HSM's ENI IP; `hapgArns` maps the labels
 * of the groups that exist now to their ARNs.
 */
export interface ActionParamsByKind {
  /** `protect` is there (true) only for an HSM declared `protect: true`: it is created with `PROTECT_TAG`. */
  'hsm.create': { hsmName: string; availabilityZone: string; subnetId?: string; syslogIp?: string; protect?: true };
  'hsm.initialize': { hsmName: string; hsmArn?: string; label: string };
  /** `protect`: whether the HSM should carry `PROTECT_TAG` (added when true, removed when false). */
  'hsm.setProtection': { hsmName: string; hsmArn: string; protect: boolean };
  'hsm.zeroize': { hsmName: string; hsmArn: string; host: string };
  'hsm.delete': { hsmName: string; hsmArn: string };
  'client.create': { clientName: string };
  'client.delete': { clientName: string; clientArn: string };
  'client.addServer': { clientName: string; hsmName: string; hsmArn?: string; host?: string };
  'client.deleteServer': { clientName: string; hsmName: string; host: string };
  'hsm.registerClient': { hsmName: string; hsmArn?: string; host?: string; clientName: string; hostname: string };
  'hsm.deregisterClient': { hsmName: string; hsmArn: string; host: string; clientName: string };
  'partition.assign': {
    hsmName: string;
    hsmArn?: string;
    host?: string;
    hapgLabel: string;
    hapgArn?: string;
    clientName: string;
    partitionName?: string;
  };
  'partition.revoke': {
    hsmName: string;
    hsmArn: string;
    host: string;
    hapgLabel: string;
    hapgArn: string;
    clientName: string;
    partitionName: string;
  };
  'hapg.create': { hapgLabel: string };
  'hapg.delete': { hapgLabel: string; hapgArn: string };
  'hapg.addMember': { hapgLabel: string; hapgArn?: string; hsmName: string; hsmArn?: string };
  'hapg.removeMember': { hapgLabel: string; hapgArn: string; hsmName: string; hsmArn: string; partitionName: string };
  'hapg.registerClient': { hapgLabel: string; hapgArn?: string; clientName: string; clientArn?: string };
  'hapg.deregisterClient': { hapgLabel: string; hapgArn: string; clientName: string; clientArn: string };
  'client.writeConfig': { clientName: string; clientArn?: string; hapgLabels: string[]; hapgArns: Record<string, string> };
  'client.setAutoRecovery': { clientName: string; autoRecovery: boolean; retry: number; interval: number };
  'hapg.recoverMember': { clientName: string; hapgLabel: string; hsmName: string; hsmSerial: string };
}

/** What every action carries, whatever its kind. */
interface ActionBase {
  /** Stable and unique within a plan: `<kind>:<key>`, e.g. `hsm.create:hsm-a`. */
  id: string;
  /** Dotted path of the target, e.g. `hsm.hsm-a`, `hapg.hapg1.member.hsm-b`. */
  address: string;
  /** The resource the action is grouped under (the first two parts of `address`). */
  resource: { type: ResourceType; name: string };
  /** What the action does to its target. */
  change: ChangeType;
  /** Ids of actions of this plan that must be done first (never an action outside the plan). */
  dependsOn: string[];
  /** Loses data or a device (SPEC §4); refused without `allowDestroy`. */
  destructive: boolean;
  /** Why the action is needed; starts with `drift: ` when it reverts an out-of-band change. */
  reason: string;
  /** The target's relevant fields now; null when it does not exist yet. */
  before: Record<string, FieldValue> | null;
  /** The target's relevant fields after the action; null when it will no longer exist. */
  after: Record<string, FieldValue> | null;
}

/** One step of a plan; `params` is typed by `kind`. */
export type Action = {
  [K in ActionKind]: ActionBase & {
    /** The step to carry out. */
    kind: K;
    /** Names and ARNs the executor needs (see `ActionParamsByKind`). */
    params: ActionParamsByKind[K];
  };
}[ActionKind];

/** The action of one kind. */
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;

/** Something a person changed outside hsmctl on a managed resource, and what reverts it. */
export interface DriftItem {
  /** Address of what drifted. */
  address: string;
  /** What changed, e.g. `partition assignment revoked out of band`. */
  description: string;
  /** Ids of the actions that revert it. */
  actionIds: string[];
}

/** An HSM that could not be reached: reported, never planned to be created, wiped or deleted. */
export interface UnreachableHsm {
  /** Its name in configuration (`hsmctl:name`), or its short id when it has none. */
  name: string;
  arn: string;
  serial: string;
  /** Why it cannot be reached. */
  reachability: Reachability;
}

/** A resource without hsmctl's ownership tag: reported, never touched. */
export interface UnmanagedResource {
  type: ResourceType;
  /** Its ARN, or the instance name for a client without a control-plane identity. */
  id: string;
  /** Label (HSM, HAPG) or name (client), when it has one. */
  name: string | null;
}

/** Counts of actions by change type. */
export interface PlanSummary {
  /** Actions that bring something new into existence. */
  create: number;
  /** Actions that change something in place. */
  update: number;
  /** Actions that remove something. */
  delete: number;
  /** Actions that wipe and redo something (zeroize and re-initialize). */
  replace: number;
  /** Manual recoveries of HA members. */
  recover: number;
}

/** The plan document. */
export interface Plan {
  /** Layout version of this document. */
  formatVersion: 1;
  /** Whether there is at least one action. */
  hasChanges: boolean;
  /** False when a refusal stops the whole plan (destructive without allowDestroy, protect, empty configuration). */
  applyable: boolean;
  /** Why the plan may not be applied, one line each; empty when applyable. */
  refusals: string[];
  /** Counts of `actions` by change type. */
  summary: PlanSummary;
  /** Every action, in a topological order of `dependsOn` (ties broken by the manual procedure's order). */
  actions: Action[];
  /** Out-of-band changes found, each with the actions that revert it. */
  drift: DriftItem[];
  /** Things a person should know that do not stop the plan. */
  warnings: string[];
  /** Changes this plan leaves to a later one until they are safe (its actions work toward that). */
  heldBack: HeldBack[];
  /** HSMs that could not be reached. */
  unreachable: UnreachableHsm[];
  /**
   * Addresses of what the configuration asks for but waits until an unreachable HSM answers (a
   * member to join or leave, an HSM to delete, a client to register or deregister), sorted. The
   * warnings say why. While it is not empty, the fleet does not match the configuration, even
   * with no action planned.
   */
  deferred: string[];
  /** Resources hsmctl does not own. */
  unmanaged: UnmanagedResource[];
}

/**
 * A change the plan holds back: a member that leaves its group stays for this plan, because its
 * key objects survive its removal only once a recovery of the members out of rotation has copied
 * them, and this plan does the work toward that (recoveries by hand, repairs they need).
 */
export interface HeldBack {
  /** The member, e.g. `hapg.hapg1.member.hsm-c`. */
  address: string;
  /** Why it waits, in words. */
  reason: string;
  /** Ids of this plan's recoveries it waits for (none when it waits for automatic recovery). */
  waitsFor: string[];
}

/** Inputs of the planner besides the desired and observed fleets. */
export interface PlanOptions {
  /** Permit destructive actions (`--allow-destroy`). Default false. */
  allowDestroy?: boolean;
  /**
   * Names of desired HSMs whose cloning domain differs from the configured one. The observer finds
   * them (`FleetDriver.verifyCloningDomain`); the planner never sees secret values.
   */
  cloningDomainMismatch?: string[];
}

import type { AppliedRevision, GitSync, Revision } from '../gitops/index.js';
import type { HapgState, HaSettings, HsmStatus, MemberHaState, Reachability } from '../fleet/types.js';

/**
 * The fleet's health, as `hsmctl status` reports it: `vtl haAdmin show` and `vtl verify` of every
 * client folded together, with Argo CD's health and sync columns. Plain serialisable data (the
 * `--json` document is this, as is); wording and layout belong to `src/render/status-*.ts`.
 */

/** Argo CD's health words for a HAPG: Missing when declared but not there. */
export type Health = 'Healthy' | 'Degraded' | 'Missing';

/**
 * A HAPG's sync with the configuration: Synced when the plan has no action concerning it,
 * Unknown without a valid configuration, Unmanaged for a group hsmctl does not own.
 */
export type HapgSync = 'Synced' | 'OutOfSync' | 'Unknown' | 'Unmanaged';

/** A member's state over all clients (the worst any client reports); `missing` when declared but absent. */
export type MemberState = MemberHaState | 'missing';

/** How one client sees one member. */
export interface ClientView {
  /** Client instance name. */
  client: string;
  /** The member's HA state on that client (`vtl haAdmin show`). */
  state: MemberHaState;
  /** Automatic recovery attempts used since the member went down. */
  attempts: number;
}

/** One member of a HAPG. */
export interface MemberStatus {
  /** HSM name in configuration (or label, or short id, for an HSM hsmctl did not name). */
  hsm: string;
  /** HSM serial; null for a declared member that is not in the group. */
  serial: string | null;
  /** Worst state over the clients; from the device itself when no client uses the group. */
  state: MemberState;
  /** Each client's view, by client name. */
  clients: ClientView[];
}

/** Members by state. */
export interface MemberCounts {
  /** In rotation on every client. */
  alive: number;
  /** Out of rotation with no automatic recovery coming (autoRecovery off, or not connected at startup). */
  down: number;
  /** Out of rotation, automatic attempts scheduled. */
  recovering: number;
  /** Retry limit reached: only `vtl haAdmin -recover` brings it back. */
  needsManualRecovery: number;
  /** Declared members that are not in the group. */
  missing: number;
}

/** One HAPG row. */
export interface HapgStatus {
  /** Label in configuration (the `hsmctl:name` tag), else the device label. */
  label: string;
  /** Null when the group does not exist. */
  arn: string | null;
  /** Virtual-token serial; null when the group does not exist. */
  serial: string | null;
  /** Control-plane state; null when the group does not exist. */
  state: HapgState | null;
  /** Healthy when every member is alive; Missing when the group does not exist. */
  health: Health;
  /** Whether the plan leaves this group alone. */
  sync: HapgSync;
  /** Control-plane members in order, then declared members that are not in the group. */
  members: MemberStatus[];
  /** `members` by state. */
  counts: MemberCounts;
  /** Ids of the plan's actions that concern this group, then the addresses of its changes waiting for unreachable HSMs; null when there is no plan. */
  pendingActions: string[] | null;
}

/** One HSM row. */
export interface HsmRow {
  /** Name in configuration, else device label, else short id. */
  name: string;
  /** Null when declared but not there. */
  arn: string | null;
  /** Short digit string; null when declared but not there. */
  serial: string | null;
  /** Control-plane status; null when declared but not there. */
  status: HsmStatus | null;
  /** Whether the appliance answers; null when declared but not there. */
  reachability: Reachability | null;
  /** Factory-fresh or wiped; null when declared but not there. */
  zeroized: boolean | null;
  /** Where it is, or where it is declared when it is not there. */
  availabilityZone: string;
  /** Declared in the configuration (false for one that left it, or without a configuration). */
  declared: boolean;
  /** Carries hsmctl's ownership tag. */
  managed: boolean;
}

/** One member as one client sees it, with the HSM named. */
export interface ClientMemberView {
  /** The group's label as the client knows it. */
  hapg: string;
  /** The member HSM's row name (its serial when no HSM has it). */
  hsm: string;
  /** The member HSM's serial. */
  serial: string;
  /** HA state on this client. */
  state: MemberHaState;
  /** Automatic recovery attempts used since it went down. */
  attempts: number;
}

/** One client row. */
export interface ClientRow {
  /** Instance name. */
  name: string;
  /** Null before `create-client`, or when declared but not there. */
  arn: string | null;
  /** Labels of the HAPGs it is registered to (control plane). */
  groups: string[];
  /** `vtl haAdmin show` settings; null when declared but not there. */
  ha: HaSettings | null;
  /** Per group member, as this client sees it. */
  members: ClientMemberView[];
  /** Declared in the configuration. */
  declared: boolean;
}

/** The fleet's health and its sync with the configuration. */
export interface FleetStatus {
  /** Layout version of the `--json` document. */
  formatVersion: 1;
  /** Virtual time of the observation (ISO 8601). */
  observedAt: string;
  /** Healthy when every HAPG is Healthy and every HSM runs and answers; exit code 1 otherwise. */
  health: { status: 'Healthy' | 'Degraded'; reasons: string[] };
  /** Sync with the configuration at HEAD, and its inputs. */
  /** `deferred`: how many changes the plan leaves waiting for unreachable HSMs (`Plan.deferred`). */
  sync: GitSync & { head: Revision | null; lastApplied: AppliedRevision | null; planChanges: number | null; deferred: number | null };
  /** Declared groups and every other group on the control plane, by label. */
  hapgs: HapgStatus[];
  /** Declared HSMs and every other HSM, by name. */
  hsms: HsmRow[];
  /** Client instances, declared or not, by name. */
  clients: ClientRow[];
  /**
   * What the plan warns of (`Plan.warnings`): unreachable HSMs, what waits for them, what a
   * device kept after its group or client was deleted. Empty without a valid configuration.
   */
  warnings: string[];
}

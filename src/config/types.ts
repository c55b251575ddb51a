import type { Secret } from './secret.js';

/**
 * The desired state: what the configuration declares, validated, with secret references
 * resolved into `Secret` values (which never print). Produced by the loader, consumed by the
 * planner. Every declared item keeps the source position of its definition for messages.
 */

/** Where a value was written: `file:line:col` (1-based) and a JSON-pointer-like path. */
export interface SourceRef {
  /** Path of the YAML file as given to the loader (relative to the cwd when possible). */
  file: string;
  line: number;
  col: number;
  /** e.g. `hsms[0].members[2]`. */
  path: string;
}

/** An HSM as declared. */
export interface DesiredHsm {
  /** Identity in configuration: `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`. */
  name: string;
  availabilityZone: string;
  subnetId?: string;
  /** Device label set by initialize; defaults to `name`. */
  label: string;
  cloningDomain: Secret;
  soPassword: Secret;
  /** Public key contents (from a `{ file }` / `{ env }` reference), if declared. */
  sshPublicKey?: Secret;
  syslogIp?: string;
  /** Never destroy or re-initialize. */
  protect: boolean;
  source: SourceRef;
}

/** A HAPG as declared. */
export interface DesiredHapg {
  label: string;
  /** HSM names, 1..16, in declared order (the first member's serial names the group). */
  members: string[];
  partitionPassword: Secret;
  source: SourceRef;
}

/** autoRecovery policy: global, or a client's override. */
export interface AutoRecoveryPolicy {
  enabled: boolean;
  /** -1 (infinite) or 0..500. */
  retry: number;
  /** Seconds, 60..1200. */
  interval: number;
}

/** A client instance as declared. */
export interface DesiredClient {
  name: string;
  /** HAPG labels it is registered to. */
  hapgs: string[];
  /** The client's effective policy: its override, else the global one, else disabled. */
  autoRecovery: AutoRecoveryPolicy;
  source: SourceRef;
}

/** The whole desired fleet. */
export interface DesiredFleet {
  hsms: DesiredHsm[];
  hapgs: DesiredHapg[];
  clients: DesiredClient[];
  /** The global policy as declared, or undefined when the configuration has none. */
  autoRecovery: AutoRecoveryPolicy | undefined;
  /** The configuration files read, in order (for fingerprints and watch). */
  files: string[];
}

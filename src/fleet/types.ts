/**
 * The observed world as the reconciler sees it through a driver: CloudHSM Classic's control plane
 * resources, what each Luna SA appliance holds, and each client instance. Plain serialisable data,
 * never a secret (cloning domains and passwords are not readable from a device; only whether a
 * given value matches can be asked, see `FleetDriver.verifyCloningDomain`).
 */

/** Control-plane status of an HSM (CloudHSM Classic `HsmStatus`). */
export type HsmStatus = 'PENDING' | 'RUNNING' | 'UPDATING' | 'SUSPENDED' | 'TERMINATING' | 'TERMINATED' | 'DEGRADED';

/** HAPG state (CloudHSM Classic `CloudHsmObjectState`). */
export type HapgState = 'READY' | 'UPDATING' | 'DEGRADED';

/** Whether the device answers: a powered-off or cut-off HSM is unreachable, not absent. */
export type Reachability = 'reachable' | 'power-lost' | 'network-lost';

/** Resource tags (CloudHSM `AddTagsToResource`); hsmctl marks what it owns with `managed-by`. */
export type Tags = Record<string, string>;

/** A partition on one appliance (`partition list`). */
export interface Partition {
  /** Partition label; a HAPG's partition on a member is `<hapg-id>_<hsm-serial>`. */
  name: string;
  /** The HSM serial followed by three digits. */
  serial: string;
  /** Number of key objects it holds. */
  objectCount: number;
  /**
   * Handles of the key objects it holds (unique within a HAPG), when the device lists them: lets
   * the planner tell whether another member holds every object of one that goes.
   */
  objectHandles?: number[];
}

/** A client registered on one appliance (`client show`). */
export interface RegisteredClient {
  /** Client id on the appliance (hsmctl uses the client instance name). */
  id: string;
  /** Hostname given at `client register`. */
  hostname: string;
  /** SHA-256 fingerprint of the client certificate it was registered with. */
  certificateFingerprint: string;
  /** Partition names assigned to it (`client assignPartition`). */
  partitions: string[];
}

/** One HSM: control-plane description plus, when reachable, what its appliance reports. */
export interface Hsm {
  /** `arn:aws:cloudhsm:<region>:<account>:hsm-<8 hex>`. */
  arn: string;
  /** Short digit string, e.g. `157541`. */
  serial: string;
  /** Control-plane status; PENDING until provisioning finishes on the virtual clock. */
  status: HsmStatus;
  /** Reachability of the appliance right now. */
  reachability: Reachability;
  availabilityZone: string;
  subnetId: string;
  eniId: string;
  eniIp: string;
  softwareVersion: string;
  vendor: string;
  /** The idempotency token `create-hsm` was called with. */
  clientToken: string;
  /** True when factory-fresh or wiped (`HSM IS ZEROIZED`); label and partitions are then empty. */
  zeroized: boolean;
  /** Device label set by `initialize-hsm`; null when zeroized. */
  label: string | null;
  /** SO login attempts left before the device zeroizes itself (3 when fresh). */
  soLoginAttemptsLeft: number;
  /** SHA-256 fingerprint of the appliance's server certificate (`server.pem`). */
  serverCertificateFingerprint: string;
  /** Partitions on the appliance. Empty when unreachable (unknown, not absent). */
  partitions: Partition[];
  /** Clients registered on the appliance (Network Trust Links, HSM side). */
  clients: RegisteredClient[];
  tags: Tags;
}

/** One member of a HAPG. */
export interface HapgMember {
  hsmArn: string;
  hsmSerial: string;
  /** `<hapg-id>_<hsm-serial>`. */
  partitionName: string;
  partitionSerial: string;
}

/** A high-availability partition group (one virtual token on the clients). */
export interface Hapg {
  /** `arn:aws:cloudhsm:<region>:<account>:hapg-<8 hex>`. */
  arn: string;
  label: string;
  /** Virtual-token serial: `1` followed by the first member's serial; empty with no members. */
  serial: string;
  state: HapgState;
  members: HapgMember[];
  /** ARNs of the clients registered to this group. */
  registeredClientArns: string[];
  tags: Tags;
}

/** A trusted server on a client instance (`vtl listServers`). */
export interface TrustedServer {
  /** The HSM's ENI IP. */
  host: string;
  /** Fingerprint of the server certificate added with `vtl addServer -c`. */
  serverCertificateFingerprint: string;
}

/** autoRecovery settings of one client (`vtl haAdmin show`). */
export interface HaSettings {
  autoRecovery: boolean;
  /** -1 (infinite) or 0..500. */
  retry: number;
  /** Seconds, 60..1200. */
  interval: number;
  /** `Only Show HA Slots`. */
  haOnly: boolean;
}

/** HA state of one member as one client sees it. */
export type MemberHaState = 'alive' | 'down' | 'recovering' | 'needs-manual-recovery';

/** Per-client, per-member HA status and recovery attempt counter. */
export interface MemberHaStatus {
  hsmSerial: string;
  state: MemberHaState;
  /** Automatic recovery attempts made since the member went down. */
  attempts: number;
  /** Whether the member was connected when the client started (autoRecovery needs it). */
  connectedAtStartup: boolean;
  /** Virtual time (ISO) of the next automatic attempt, if one is due. */
  nextAttemptAt: string | null;
}

/** One HA group as one client sees it. */
export interface ClientGroupStatus {
  hapgLabel: string;
  /** HA Group Number (the virtual-token serial). */
  groupNumber: string;
  members: MemberHaStatus[];
}

/** The client's generated configuration files (`get-client-configuration`). */
export interface ClientConfiguration {
  /** The rendered `Chrystoki.conf`. */
  chrystokiConf: string;
  /** `CAFile.pem`: the members' server certificates. */
  caFile: string;
}

/** A client instance together with its control-plane identity. */
export interface ClientInstance {
  /** Instance / client name (the `vtl createCert -n` name and the appliance client id). */
  name: string;
  /** `…:client-<8 hex>` once `create-client` ran; null before. */
  arn: string | null;
  /** Fingerprint of `cert/client/<name>.pem`; null before `vtl createCert`. */
  certificateFingerprint: string | null;
  servers: TrustedServer[];
  /** ARNs of the HAPGs this client is registered to (control plane view). */
  hapgArns: string[];
  ha: HaSettings;
  /** Per group HA status as this client sees it. */
  haStatus: ClientGroupStatus[];
  /** Null until a configuration was written. */
  configuration: ClientConfiguration | null;
  tags: Tags;
}

/** The whole observed world at one instant of the virtual clock. */
export interface ObservedFleet {
  /** Virtual time of the observation (ISO 8601). */
  observedAt: string;
  /** AWS region and account the control plane is in. */
  region: string;
  account: string;
  hsms: Hsm[];
  hapgs: Hapg[];
  clients: ClientInstance[];
}

/** A key object held in a partition (emulated data plane). */
export interface KeyObject {
  /** Object handle, unique within the HAPG. */
  handle: number;
  label: string;
  /** e.g. `AES`, `RSA`. */
  keyType: string;
  /** Key size in bits. */
  bits: number;
  /** SHA-256 of the key material, to compare copies without revealing them. */
  fingerprint: string;
  /** Virtual time of creation (ISO). */
  createdAt: string;
}

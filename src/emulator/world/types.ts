import type { HaSettings, KeyObject, MemberHaState, Tags } from '../../fleet/types.js';

/**
 * The documents the emulated world is made of, as stored: one document per resource in the
 * collections `hsms/<hsm-id>`, `hapgs/<hapg-id>` and `clients/<client-name>`, plus the `meta`
 * singleton. Plain JSON (null, never undefined). Secrets are held only as salted scrypt hashes.
 */

/** Version of this document layout; a newer one on disk is refused. */
export const FORMAT_VERSION = 1;

/** A secret kept as a salted scrypt hash (never the value). */
export interface SecretHash {
  /** Random 16-byte salt, hex. */
  salt: string;
  /** scrypt(secret, salt), hex. */
  hash: string;
  /** scrypt cost parameter N the hash was made with. */
  n: number;
}

/** A subnet the emulator knows: given to `create-hsm` or derived for an availability zone. */
export interface SubnetDoc {
  availabilityZone: string;
  /** `10.0.N.0/24`; HSM ENI IPs are taken from it. */
  cidr: string;
}

/** The `meta` singleton: world-wide settings, the clock and the id source. */
export interface WorldMeta {
  /** `FORMAT_VERSION` of the layout that wrote this world. */
  formatVersion: number;
  /** AWS region of the control plane, e.g. `us-east-1`. */
  region: string;
  /** 12-digit AWS account id. */
  account: string;
  /** Seed of the deterministic id source (ids, serials, IPs, certificates). */
  seed: string;
  /** Draws taken from the id source so far. */
  counter: number;
  /** Resources created so far (their `seq`). */
  created: number;
  /** Virtual clock = wall clock + this offset (grown by `advance`). */
  clockOffsetMs: number;
  /** Real time slept before each device operation. */
  latencyMs: number;
  /** Virtual time an HSM stays PENDING after `create-hsm` (0 by default). */
  provisioningMs: number;
  /** Subnets by id. */
  subnets: Record<string, SubnetDoc>;
}

/** A certificate file: a PEM body and its SHA-256 fingerprint (`AB:CD:…`). */
export interface CertificateDoc {
  pem: string;
  fingerprint: string;
}

/** A partition on an appliance with its key objects. */
export interface PartitionDoc {
  /** Partition label (`<hapg-id>_<hsm-serial>` for a HAPG's partition). */
  name: string;
  /** HSM serial followed by three digits. */
  serial: string;
  passwordHash: SecretHash;
  cloningDomainHash: SecretHash;
  /** Key objects, in handle order. */
  objects: KeyObject[];
}

/** A client registered on an appliance (`client register`). */
export interface ApplianceClientDoc {
  /** Client id on the appliance (the client instance name). */
  id: string;
  hostname: string;
  /** Fingerprint of the certificate it was registered with. */
  certificateFingerprint: string;
  /** Assigned partition names. */
  partitions: string[];
}

/** Power and network state of an appliance. */
export interface FaultState {
  power: 'on' | 'off';
  network: 'up' | 'down';
}

/** One HSM: control-plane record and what its appliance holds. */
export interface HsmDoc {
  /** `hsm-<8 hex>` (also the document id). */
  id: string;
  arn: string;
  /** Six digits. */
  serial: string;
  /** `create-hsm` idempotency token. */
  clientToken: string;
  availabilityZone: string;
  subnetId: string;
  eniId: string;
  eniIp: string;
  sshPublicKey: string | null;
  syslogIp: string | null;
  softwareVersion: string;
  vendor: string;
  /** Virtual time of `create-hsm` (ms); PENDING until `createdAt + provisioningMs`. */
  createdAt: number;
  /** Creation order within the world (lists keep it). */
  seq: number;
  tags: Tags;
  faults: FaultState;
  /** Factory-fresh or wiped. */
  zeroized: boolean;
  label: string | null;
  cloningDomainHash: SecretHash | null;
  soPasswordHash: SecretHash | null;
  /** SO login attempts left before the HSM zeroizes itself. */
  soLoginAttemptsLeft: number;
  serverCertificate: CertificateDoc;
  /** Last three-digit partition suffix handed out. */
  partitionCounter: number;
  partitions: PartitionDoc[];
  clients: ApplianceClientDoc[];
}

/** A member of a HAPG as the control plane records it. */
export interface HapgMemberDoc {
  hsmId: string;
  hsmSerial: string;
  partitionName: string;
  partitionSerial: string;
}

/** A HA partition group. */
export interface HapgDoc {
  /** `hapg-<8 hex>` (also the document id). */
  id: string;
  arn: string;
  label: string;
  createdAt: number;
  /** Creation order within the world (lists keep it). */
  seq: number;
  tags: Tags;
  /** Members in the order they were added (the first names the virtual token). */
  members: HapgMemberDoc[];
  registeredClientArns: string[];
  /** Next key object handle handed out through this group. */
  nextHandle: number;
}

/** A server on a client's server list (`vtl addServer`). */
export interface TrustedServerDoc {
  /** ENI IP of the HSM. */
  host: string;
  /** The server certificate that was added. */
  certificate: CertificateDoc;
}

/** One member of a configured HA group, as the client library sees it. */
export interface HaMemberDoc {
  hsmId: string;
  hsmSerial: string;
  partitionName: string;
  partitionSerial: string;
  state: MemberHaState;
  /** Automatic recovery attempts since it went down. */
  attempts: number;
  /** Reachable when the client library started (needed for autoRecovery). */
  connectedAtStartup: boolean;
  /** Virtual time it went out of rotation, null while alive. */
  downSince: number | null;
  /** Virtual time of the next automatic attempt, null when none is scheduled. */
  nextAttemptAt: number | null;
}

/** A virtual token (HA group) in the client's configuration. */
export interface HaGroupDoc {
  hapgArn: string;
  label: string;
  /** `1` followed by the first member's partition serial. */
  serial: string;
  members: HaMemberDoc[];
}

/** A client instance and its control-plane identity. */
export interface ClientDoc {
  /** Instance name (document id). */
  name: string;
  /** `client-<8 hex>` ARN once `create-client` ran. */
  arn: string | null;
  certificate: CertificateDoc | null;
  tags: Tags;
  servers: TrustedServerDoc[];
  /** HAPGs the control plane has this client registered to. */
  hapgArns: string[];
  ha: HaSettings;
  /** HA groups of the written configuration, with the library's per-member state. */
  groups: HaGroupDoc[];
  /** The written `Chrystoki.conf` and `CAFile.pem`, null until `get-client-configuration`. */
  configuration: { chrystokiConf: string; caFile: string } | null;
}

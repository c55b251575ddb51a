import type { HaSettings, KeyObject, ObservedFleet, Tags } from './types.js';

/**
 * The only way the reconciler reaches devices. Each method is one operation of the manual
 * procedure (CloudHSM Classic API, `lunash` on the appliance, `vtl` on the client instance), named
 * after it. Every method is atomic: it either happens whole or not at all. A refusal throws a
 * `DeviceError` whose `code` and `message` are the real tool's (see `DeviceErrorCode`).
 *
 * Secrets (cloning domain, SO and partition passwords) are passed in as plain strings only for the
 * call that needs them; implementations never store, log or return them.
 */
export interface FleetDriver {
  /** The whole world in one read; also runs any autoRecovery attempts that fell due. */
  describe(): Promise<ObservedFleet>;

  // ── control plane (CloudHSM Classic) ────────────────────────────────────────────────────────

  /** `create-hsm`: provision an HSM (PENDING, then RUNNING). Same `clientToken` → same HSM. */
  createHsm(input: CreateHsmInput): Promise<{ hsmArn: string }>;
  /** `delete-hsm`: only a zeroized HSM can be deleted. */
  deleteHsm(hsmArn: string): Promise<void>;
  /** `initialize-hsm`: needs a zeroized, RUNNING HSM; sets label, cloning domain, SO password. */
  initializeHsm(input: InitializeHsmInput): Promise<void>;
  /** `create-hapg`. */
  createHapg(input: { label: string; tags?: Tags }): Promise<{ hapgArn: string }>;
  /** `delete-hapg`: members keep their partitions and key objects. */
  deleteHapg(hapgArn: string): Promise<void>;
  /**
   * `add-hsm-to-hapg`: creates the group's partition on the HSM (SO login inside) and clones the
   * group's objects onto it. Idempotent for an existing partition of the group's label. Refuses a
   * zeroized HSM, another cloning domain, a 17th member.
   */
  addHsmToHapg(input: AddHsmToHapgInput): Promise<{ partitionName: string; partitionSerial: string }>;
  /** `remove-hsm-from-hapg`: deletes the member's partition and its objects irrevocably. */
  removeHsmFromHapg(input: { hsmArn: string; hapgArn: string }): Promise<void>;
  /** `create-client`: register the client certificate with the control plane. */
  createClient(input: { name: string; tags?: Tags }): Promise<{ clientArn: string }>;
  /** `delete-client`. */
  deleteClient(clientArn: string): Promise<void>;
  /**
   * `register-client-to-hapg`: on every member, `client register` (skipped if present) and
   * `client assignPartition` (skipped if assigned).
   */
  registerClientToHapg(input: { clientArn: string; hapgArn: string }): Promise<void>;
  /** `deregister-client-from-hapg`: revokes; deletes the client from an HSM with no partitions left. */
  deregisterClientFromHapg(input: { clientArn: string; hapgArn: string }): Promise<void>;
  /** `get-client-configuration`: writes `Chrystoki.conf` and `CAFile.pem` on the client. */
  getClientConfiguration(input: { clientArn: string; hapgArns: string[] }): Promise<{ configFile: string; configCred: string }>;
  /** `add-tags-to-resource` (adds or overwrites). */
  addTags(resourceArn: string, tags: Tags): Promise<void>;
  /** `remove-tags-from-resource`. */
  removeTags(resourceArn: string, keys: string[]): Promise<void>;

  // ── appliance (lunash) ──────────────────────────────────────────────────────────────────────

  /** `hsm zeroize`: wipes label, partitions, registered clients and objects. */
  zeroizeHsm(hsmArn: string): Promise<void>;
  /**
   * Whether `cloningDomain` is the HSM's cloning domain (compared against the device's salted
   * hash; costs no login attempt). False for a zeroized HSM.
   */
  verifyCloningDomain(hsmArn: string, cloningDomain: string): Promise<boolean>;
  /** `hsm login`: a wrong password costs one attempt; the last failure zeroizes the HSM. */
  hsmLogin(hsmArn: string, soPassword: string): Promise<void>;
  /** `partition create -partition NAME -password P -domain D` after an SO login. */
  createPartition(input: { hsmArn: string; partitionName: string; partitionPassword: string; cloningDomain: string; soPassword: string }): Promise<{ partitionSerial: string }>;
  /** `partition delete -partition NAME` after an SO login: its objects are lost. */
  deletePartition(input: { hsmArn: string; partitionName: string; soPassword: string }): Promise<void>;
  /** `client register -client ID -hostname HOST` with the client's certificate. */
  registerClientOnHsm(input: { hsmArn: string; clientName: string; hostname: string }): Promise<void>;
  /** `client delete -client ID`. */
  deleteClientOnHsm(input: { hsmArn: string; clientName: string }): Promise<void>;
  /** `client assignPartition -client ID -partition NAME`. */
  assignPartition(input: { hsmArn: string; clientName: string; partitionName: string }): Promise<void>;
  /** `client revokePartition -client ID -partition NAME`. */
  revokePartition(input: { hsmArn: string; clientName: string; partitionName: string }): Promise<void>;

  // ── client instance (vtl) ───────────────────────────────────────────────────────────────────

  /** `vtl createCert -n NAME`: makes the instance's client certificate (idempotent). */
  createCert(clientName: string): Promise<{ certificateFingerprint: string }>;
  /** `vtl addServer -n IP -c server.pem`: trust the HSM's server certificate. */
  addServer(input: { clientName: string; hsmArn: string }): Promise<void>;
  /** `vtl deleteServer -n IP`. */
  deleteServer(input: { clientName: string; host: string }): Promise<void>;
  /** `vtl haAdmin -autoRecovery -retry N -interval S` (or disable). */
  setHaSettings(input: { clientName: string; settings: HaSettings }): Promise<void>;
  /** `vtl haAdmin -recover -group G -serial S`: manual recovery of one member. */
  recoverMember(input: { clientName: string; hapgLabel: string; hsmSerial: string }): Promise<void>;
}

/** Input of `create-hsm`. */
export interface CreateHsmInput {
  /** Idempotency token; hsmctl derives it from the desired HSM's name. */
  clientToken: string;
  availabilityZone: string;
  /** Optional; the emulator picks a subnet of the AZ when absent. */
  subnetId?: string;
  /** Public SSH key contents for the manager account. */
  sshPublicKey?: string;
  syslogIp?: string;
  tags?: Tags;
}

/** Input of `initialize-hsm`. */
export interface InitializeHsmInput {
  hsmArn: string;
  label: string;
  cloningDomain: string;
  soPassword: string;
}

/** Input of `add-hsm-to-hapg`. */
export interface AddHsmToHapgInput {
  hsmArn: string;
  hapgArn: string;
  cloningDomain: string;
  partitionPassword: string;
  soPassword: string;
}

/**
 * Operations that only an emulated world has: faults, the virtual clock, the data plane. Used by
 * `hsmctl emu` and tests, never by the reconciler.
 */
export interface EmulatorControl {
  /** Take an HSM down by power or network loss. */
  fail(hsm: string, mode: 'power' | 'network'): Promise<void>;
  /** Bring it back (power and network). */
  restore(hsm: string): Promise<void>;
  /** Move the virtual clock forward; runs the autoRecovery attempts that fall due. */
  advance(ms: number): Promise<void>;
  /** Real time each device operation takes from now on. */
  setLatency(ms: number): Promise<void>;
  /** Forget everything: an empty world. */
  reset(): Promise<void>;
  /** Create a key object through a HAPG from a registered client; returns the member that served. */
  createKey(input: { clientName: string; hapgLabel: string; label: string }): Promise<{ object: KeyObject; servedBy: string }>;
  /** Key objects held by an HSM (all its partitions) or by a HAPG (the union of live members). */
  listKeys(hsmOrHapg: string): Promise<KeyObject[]>;
}

/** The emulated world: a driver for the reconciler plus the emulator-only controls. */
export interface Emulator extends FleetDriver, EmulatorControl {
  /** Current virtual time (wall clock + offset), ms since the epoch. */
  now(): Promise<number>;
}

/** Error codes a driver throws (`DeviceError.code`), by tool. */
export type DeviceErrorCode =
  // CloudHSM Classic API
  | 'InvalidRequestException'
  | 'CloudHsmServiceException'
  | 'ResourceNotFound'
  // lunash
  | 'LUNA_RET_UM_PIN_INCORRECT'
  | 'LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD'
  | 'LUNA_RET_HSM_ZEROIZED'
  | 'RC_OBJECT_NOT_IN_LIST'
  | 'LUNA_RET_DEVICE_ERROR'
  // vtl
  | 'VTL_ERROR';

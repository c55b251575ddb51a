import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../errors.js';
import type { Emulator } from '../fleet/driver.js';
import { createHsm, deleteHsm, initializeHsm } from './control-plane/hsm.js';
import { addHsmToHapg, createHapg, deleteHapg, removeHsmFromHapg } from './control-plane/hapg.js';
import { createClient, deleteClient, deregisterClientFromHapg, getClientConfiguration, registerClientToHapg } from './control-plane/client.js';
import { addTags, removeTags } from './control-plane/tags.js';
import { hsmLogin, verifyCloningDomain, zeroizeHsm } from './appliance/login.js';
import { createPartition, deletePartition } from './appliance/partitions.js';
import { assignPartition, deleteClientOnHsm, registerClientOnHsm, revokePartition } from './appliance/clients.js';
import { addServer, createCert, deleteServer, recoverMember, setHaSettings } from './client/vtl.js';
import { advance } from './clock.js';
import { RefusalAfterChange } from './errors.js';
import { fail, restore } from './faults.js';
import { createKey, listKeys } from './ha/keys.js';
import { tickHa } from './ha/recovery.js';
import { observe } from './observe.js';
import { questioner } from './queries.js';
import type { Store } from './store/types.js';
import { hashAhead } from './world/secrets.js';
import { resetSnapshot, virtualNow, worldOf } from './world/world.js';
import type { Ctx } from './world/world.js';

/** How to build an emulator. */
export interface EmulatorOptions {
  /** The wall clock, ms since the epoch (`Date.now` by default); tests inject their own. */
  now?: () => number;
  /** Seed of the id source of a fresh (or reset) world; random by default. A fixed seed gives stable ARNs, serials and IPs. */
  seed?: string;
}

/** The world's tunables, as `emu` shows them. */
export interface EmulatorSettings {
  /** Real time slept before each device operation. */
  latencyMs: number;
  /** Virtual time a new HSM stays PENDING. */
  provisioningMs: number;
  /** Virtual clock minus wall clock. */
  clockOffsetMs: number;
}

/** The emulator with the controls only tests and `hsmctl emu` use beyond `Emulator`. */
export interface WorldEmulator extends Emulator {
  /** The store the world lives in. */
  readonly store: Store;
  /** Virtual time new HSMs stay PENDING after `create-hsm` (0, the default, means RUNNING at once). */
  setProvisioningTime(ms: number): Promise<void>;
  /** Latency, provisioning time and clock offset. */
  settings(): Promise<EmulatorSettings>;
}

function checkMs(what: string, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new UserError('emu.duration', `Invalid ${what} ${ms} ms: must be 0 or more.`);
}

/**
 * An emulated world kept in `store`. Every operation is one `store.mutate`: the autoRecovery
 * attempts that fell due run first, then the operation, then the HA groups notice what it changed;
 * a refusal leaves the world as it was, except a wrong SO password, whose spent attempt (or
 * zeroization) is kept. A device operation takes the configured latency in all, outside the lock,
 * its change made halfway.
 */
export function createEmulator(store: Store, options: EmulatorOptions = {}): WorldEmulator {
  const wall = options.now ?? Date.now;
  let latencyMs: number | undefined;

  async function change<T>(op: (ctx: Ctx) => T): Promise<T> {
    const outcome = await store.mutate((snapshot) => {
      const world = worldOf(snapshot, options.seed);
      const ctx: Ctx = { world, now: virtualNow(world.meta, wall()) };
      tickHa(ctx);
      try {
        const value = op(ctx);
        tickHa(ctx);
        return { value, refusal: null, latency: world.meta.latencyMs };
      } catch (err) {
        if (!(err instanceof RefusalAfterChange)) throw err;
        tickHa(ctx);
        return { value: undefined, refusal: err.refusal, latency: world.meta.latencyMs };
      }
    });
    latencyMs = outcome.latency;
    if (outcome.refusal !== null) throw outcome.refusal;
    return outcome.value as T;
  }

  /** Resolves once the device operation called last has reached the store. */
  let lastReached: Promise<void> = Promise.resolve();

  /**
   * A device operation takes the latency in all: half of it to reach the device (meanwhile the
   * hashes of the secrets it stores are made, so that they are not made inside the store's
   * critical section), then the change, durable, then what is left of it for the answer to come
   * back. The device's own work happens within that time, as on a real appliance; a caller that
   * dies while the answer is on its way has changed the world without hearing so. Operations reach
   * the store in the order they were called, however long their hashing took.
   */
  async function device<T>(op: (ctx: Ctx) => T, secrets: readonly string[] = []): Promise<T> {
    const started = performance.now();
    const previous = lastReached;
    let reached!: () => void;
    lastReached = new Promise((resolve) => (reached = resolve));
    let outcome: Promise<T>;
    try {
      latencyMs ??= worldOf(await store.read(), options.seed).meta.latencyMs;
      if (latencyMs > 0) await Promise.all([sleep(latencyMs / 2), secrets.length > 0 ? hashAhead(secrets) : undefined]);
      await previous;
      outcome = change(op); // queued in the store before the next operation may be
    } finally {
      reached();
    }
    await outcome.catch(() => undefined);
    const left = (latencyMs ?? 0) - (performance.now() - started);
    if (left > 0) await sleep(left);
    return outcome;
  }

  // A read changes the world only when an autoRecovery attempt fell due or a member was lost:
  // otherwise it is answered from one read-only read of the store (`peek`: unchanged documents
  // are not even parsed again), without rewriting anything. Reads asked together share it (queries.ts).
  const query = questioner({
    read: async (scope) => {
      const snapshot = store.peek !== undefined ? await store.peek(scope === 'appliances' ? ['hsms'] : undefined) : await store.read();
      const world = worldOf(snapshot, options.seed);
      return { world, now: virtualNow(world.meta, wall()) };
    },
    change,
  });

  return {
    store,
    describe: () => query('world', observe),
    createHsm: (input) => device((ctx) => createHsm(ctx, input)),
    deleteHsm: (arn) => device((ctx) => deleteHsm(ctx, arn)),
    initializeHsm: (input) => device((ctx) => initializeHsm(ctx, input), [input.cloningDomain, input.soPassword]),
    createHapg: (input) => device((ctx) => createHapg(ctx, input)),
    deleteHapg: (arn) => device((ctx) => deleteHapg(ctx, arn)),
    addHsmToHapg: (input) => device((ctx) => addHsmToHapg(ctx, input), [input.partitionPassword, input.cloningDomain]),
    removeHsmFromHapg: (input) => device((ctx) => removeHsmFromHapg(ctx, input)),
    createClient: (input) => device((ctx) => createClient(ctx, input)),
    deleteClient: (arn) => device((ctx) => deleteClient(ctx, arn)),
    registerClientToHapg: (input) => device((ctx) => registerClientToHapg(ctx, input)),
    deregisterClientFromHapg: (input) => device((ctx) => deregisterClientFromHapg(ctx, input)),
    getClientConfiguration: (input) => device((ctx) => getClientConfiguration(ctx, input)),
    addTags: (arn, tags) => device((ctx) => addTags(ctx, arn, tags)),
    removeTags: (arn, keys) => device((ctx) => removeTags(ctx, arn, keys)),
    zeroizeHsm: (arn) => device((ctx) => zeroizeHsm(ctx, arn)),
    hsmLogin: (arn, password) => device((ctx) => hsmLogin(ctx, arn, password)),
    verifyCloningDomain: (arn, domain) => query('appliances', (ctx) => verifyCloningDomain(ctx, arn, domain)),
    createPartition: (input) => device((ctx) => createPartition(ctx, input), [input.partitionPassword, input.cloningDomain]),
    deletePartition: (input) => device((ctx) => deletePartition(ctx, input)),
    registerClientOnHsm: (input) => device((ctx) => registerClientOnHsm(ctx, input)),
    deleteClientOnHsm: (input) => device((ctx) => deleteClientOnHsm(ctx, input)),
    assignPartition: (input) => device((ctx) => assignPartition(ctx, input)),
    revokePartition: (input) => device((ctx) => revokePartition(ctx, input)),
    createCert: (name) => device((ctx) => createCert(ctx, name)),
    addServer: (input) => device((ctx) => addServer(ctx, input)),
    deleteServer: (input) => device((ctx) => deleteServer(ctx, input)),
    setHaSettings: (input) => device((ctx) => setHaSettings(ctx, input)),
    recoverMember: (input) => device((ctx) => recoverMember(ctx, input)),
    createKey: (input) => device((ctx) => createKey(ctx, input)),

    listKeys: (ref) => change((ctx) => listKeys(ctx, ref)),
    fail: (hsm, mode) => change((ctx) => fail(ctx, hsm, mode)),
    restore: (hsm) => change((ctx) => restore(ctx, hsm)),
    advance: (ms) => change((ctx) => advance(ctx, ms)),
    async setLatency(ms) {
      checkMs('latency', ms);
      await change((ctx) => void (ctx.world.meta.latencyMs = ms));
    },
    async setProvisioningTime(ms) {
      checkMs('provisioning time', ms);
      await change((ctx) => void (ctx.world.meta.provisioningMs = ms));
    },
    async reset() {
      await store.mutate((snapshot) => resetSnapshot(snapshot, options.seed));
      latencyMs = 0;
    },
    async now() {
      const world = worldOf(await store.read(), options.seed);
      return virtualNow(world.meta, wall());
    },
    async settings() {
      const { meta } = worldOf(await store.read(), options.seed);
      return { latencyMs: meta.latencyMs, provisioningMs: meta.provisioningMs, clockOffsetMs: meta.clockOffsetMs };
    },
  };
}

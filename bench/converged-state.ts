/**
 * A state directory whose emulated world is exactly what applying a configuration leaves behind
 * (a "converged" world), built in seconds rather than by `hsmctl apply` (which re-describes the
 * whole world before every one of its ~28,000 actions at 1,000 resources).
 *
 * The world is built honestly, through the emulator's own driver calls — the device operations
 * the executor's actions make (create-hsm, initialize-hsm, create-hapg, add-hsm-to-hapg, vtl
 * createCert, create-client, register-client-to-hapg, vtl haAdmin and the HA policy tag, then
 * get-client-configuration of every client) with hsmctl's tags — on an in-memory store that changes its one snapshot in place (no copy per
 * operation; any error aborts the build, so a half-done operation is never kept). Then the real
 * reconciler (`reconcileOnce`, plan + executor) carries out whatever is left, the snapshot is
 * written into a file store in one transaction, and a fresh plan against that directory must
 * report no changes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredFleet } from '../src/config/types.js';
import { createEmulator, openEmulator } from '../src/emulator/index.js';
import { openStore } from '../src/emulator/store/store.js';
import type { Snapshot, Store } from '../src/emulator/store/types.js';
import type { FleetDriver } from '../src/fleet/driver.js';
import { managedTags } from '../src/fleet/tags.js';
import { clientTokenOf } from '../src/reconcile/actions/hsm-create.js';
import { observe } from '../src/reconcile/observe.js';
import { reconcileOnce } from '../src/reconcile/pass.js';
import { HA_POLICY_TAG, haPolicyTagValue, plan } from '../src/reconcile/plan/index.js';

/** What building took. */
export interface ConvergedState {
  /** The state directory written. */
  stateDir: string;
  /** Driver operations made directly. */
  operations: number;
  /** Actions the reconciler still carried out afterwards. */
  finishedByReconciler: number;
  /** Wall time of the whole build (ms). */
  buildMs: number;
}

/**
 * An in-memory store without copies: `mutate` runs on the live snapshot. Unlike `memoryStore`
 * a throwing mutation is not rolled back, so the builder treats any error as fatal.
 */
function liveStore(): Store {
  const current: Snapshot = { meta: {}, collections: {} };
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => T | Promise<T>): Promise<T> => {
    const run = queue.then(job);
    queue = run.catch(() => undefined);
    return run;
  };
  return { dir: ':live:', read: () => serial(() => current), mutate: (fn) => serial(() => fn(current)) };
}

/** Makes every declared resource through the driver, as the procedure (and apply) would. */
async function build(driver: FleetDriver, desired: DesiredFleet): Promise<number> {
  let operations = 0;
  const op = async <T>(call: Promise<T>): Promise<T> => {
    operations += 1;
    return call;
  };
  const hsmArn = new Map<string, string>();
  for (const d of desired.hsms) {
    const { hsmArn: arn } = await op(
      driver.createHsm({
        clientToken: clientTokenOf(d.name),
        availabilityZone: d.availabilityZone,
        ...(d.subnetId !== undefined ? { subnetId: d.subnetId } : {}),
        tags: managedTags(d.name),
      }),
    );
    await op(driver.initializeHsm({ hsmArn: arn, label: d.label, cloningDomain: d.cloningDomain.reveal(), soPassword: d.soPassword.reveal() }));
    hsmArn.set(d.name, arn);
  }
  const hsmByName = new Map(desired.hsms.map((h) => [h.name, h]));
  const hapgArn = new Map<string, string>();
  for (const g of desired.hapgs) {
    const { hapgArn: arn } = await op(driver.createHapg({ label: g.label, tags: managedTags(g.label) }));
    hapgArn.set(g.label, arn);
    for (const member of g.members) {
      const h = hsmByName.get(member)!;
      await op(
        driver.addHsmToHapg({
          hsmArn: hsmArn.get(member)!,
          hapgArn: arn,
          cloningDomain: h.cloningDomain.reveal(),
          partitionPassword: g.partitionPassword.reveal(),
          soPassword: h.soPassword.reveal(),
        }),
      );
    }
  }
  // Every client's HA view is ticked by every later operation: configure them last, so that the
  // thousands of operations before meet no HA group (the final state is the same).
  const groupsOf = new Map<string, { clientArn: string; hapgArns: string[] }>();
  for (const c of desired.clients) {
    await op(driver.createCert(c.name));
    const { clientArn } = await op(driver.createClient({ name: c.name, tags: managedTags(c.name) }));
    const hapgArns = c.hapgs.map((label) => hapgArn.get(label)!);
    for (const g of hapgArns) await op(driver.registerClientToHapg({ clientArn, hapgArn: g }));
    const policy = { autoRecovery: c.autoRecovery.enabled, retry: c.autoRecovery.retry, interval: c.autoRecovery.interval };
    await op(driver.setHaSettings({ clientName: c.name, settings: { ...policy, haOnly: true } }));
    await op(driver.addTags(clientArn, { [HA_POLICY_TAG]: haPolicyTagValue(policy) }));
    groupsOf.set(c.name, { clientArn, hapgArns });
  }
  for (const input of groupsOf.values()) await op(driver.getClientConfiguration(input));
  return operations;
}

/**
 * Builds the converged world of `desired` into `stateDir` (a fresh directory under the system's
 * temporary folder when absent) and checks that a plan against it has no changes.
 */
export async function buildConvergedState(desired: DesiredFleet, stateDir?: string): Promise<ConvergedState> {
  const started = performance.now();
  const dir = stateDir ?? (await mkdtemp(join(tmpdir(), 'hsmctl-converged-')));
  const store = liveStore();
  const emu = createEmulator(store, { seed: 'bench-converged' });
  const operations = await build(emu, desired);

  // Whatever the direct calls did not cover, the real reconciler does (its lock and journal in a scratch directory).
  const scratch = await mkdtemp(join(tmpdir(), 'hsmctl-converged-run-'));
  let finishedByReconciler = 0;
  try {
    const pass = await reconcileOnce({ driver: emu, stateDir: scratch, desired, apply: true, allowDestroy: false, parallelism: 10 });
    if (pass.outcome === 'applied') {
      if (pass.result.outcome !== 'complete') throw new Error(`the reconciler could not finish the converged world: ${pass.result.outcome}`);
      finishedByReconciler = pass.plan.actions.length;
    } else if (pass.outcome !== 'in-sync') {
      throw new Error(`the reconciler could not finish the converged world: ${pass.outcome}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const world = await store.read();
  await openStore(dir).mutate((s) => {
    s.meta = world.meta;
    s.collections = world.collections;
  });
  await assertConverged(dir, desired);
  return { stateDir: dir, operations, finishedByReconciler, buildMs: performance.now() - started };
}

/** Throws unless a plan of `desired` against the world in `stateDir` has no changes. */
export async function assertConverged(stateDir: string, desired: DesiredFleet): Promise<void> {
  const observation = await observe(openEmulator(stateDir), desired);
  const p = plan(desired, observation.observed, { allowDestroy: false, cloningDomainMismatch: observation.cloningDomainMismatch });
  if (p.hasChanges) {
    const kinds = [...new Set(p.actions.map((a) => a.kind))].join(', ');
    throw new Error(`the world in ${stateDir} is not converged: ${p.actions.length} actions (${kinds})`);
  }
}

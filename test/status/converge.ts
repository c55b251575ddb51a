import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import type { DesiredFleet } from '../../src/config/types.js';
import { createEmulator } from '../../src/emulator/index.js';
import type { WorldEmulator } from '../../src/emulator/index.js';
import { openStore } from '../../src/emulator/store/index.js';
import type { FleetDriver } from '../../src/fleet/driver.js';
import { managedTags } from '../../src/fleet/tags.js';
import { HA_POLICY_TAG, haPolicyTagValue } from '../../src/reconcile/plan/index.js';
import { tempDir } from './temp.js';

/**
 * A converged world built without `hsmctl apply`: the seed procedure (SPEC §1) performed step by
 * step through the driver, tagged the way hsmctl tags what it creates, so that the planner finds
 * nothing to do. A fixed seed and a fixed wall clock keep ARNs, serials and times stable.
 */

/** The wall clock of every golden world: 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);
/** The id seed of every golden world. */
export const SEED = 'status-golden';
/** The repository root (tests run from it). */
export const ROOT = process.cwd();

/** Loads a configuration that must be valid (the examples). */
export async function desiredOf(path: string): Promise<DesiredFleet> {
  const { fleet, diagnostics } = await loadConfig(path, { env: {}, cwd: ROOT });
  if (fleet === undefined) throw new Error(`invalid test configuration ${path}: ${JSON.stringify(diagnostics)}`);
  return fleet;
}

/** Performs the seed procedure for every declared resource, in dependency order. */
export async function converge(driver: FleetDriver, desired: DesiredFleet): Promise<void> {
  const hsmArns = new Map<string, string>();
  for (const h of desired.hsms) {
    const { hsmArn } = await driver.createHsm({
      clientToken: `hsmctl-${h.name}`,
      availabilityZone: h.availabilityZone,
      ...(h.subnetId !== undefined ? { subnetId: h.subnetId } : {}),
      tags: managedTags(h.name),
    });
    await driver.initializeHsm({ hsmArn, label: h.label, cloningDomain: h.cloningDomain.reveal(), soPassword: h.soPassword.reveal() });
    hsmArns.set(h.name, hsmArn);
  }
  const hapgArns = new Map<string, string>();
  for (const g of desired.hapgs) {
    const { hapgArn } = await driver.createHapg({ label: g.label, tags: managedTags(g.label) });
    hapgArns.set(g.label, hapgArn);
    for (const member of g.members) {
      const h = desired.hsms.find((x) => x.name === member)!;
      await driver.addHsmToHapg({
        hsmArn: hsmArns.get(member)!,
        hapgArn,
        cloningDomain: h.cloningDomain.reveal(),
        partitionPassword: g.partitionPassword.reveal(),
        soPassword: h.soPassword.reveal(),
      });
    }
  }
  for (const c of desired.clients) {
    await driver.createCert(c.name);
    const { clientArn } = await driver.createClient({ name: c.name, tags: managedTags(c.name) });
    const used = new Set(c.hapgs.flatMap((label) => desired.hapgs.find((g) => g.label === label)?.members ?? []));
    for (const member of [...used].sort()) {
      const hsmArn = hsmArns.get(member)!;
      await driver.addServer({ clientName: c.name, hsmArn });
      await driver.registerClientOnHsm({ hsmArn, clientName: c.name, hostname: c.name });
    }
    const fleet = await driver.describe();
    for (const label of c.hapgs) {
      const hapg = fleet.hapgs.find((g) => g.arn === hapgArns.get(label))!;
      for (const m of hapg.members) await driver.assignPartition({ hsmArn: m.hsmArn, clientName: c.name, partitionName: m.partitionName });
      await driver.registerClientToHapg({ clientArn, hapgArn: hapg.arn });
    }
    await driver.getClientConfiguration({ clientArn, hapgArns: c.hapgs.map((label) => hapgArns.get(label)!) });
    const p = c.autoRecovery;
    const settings = { autoRecovery: p.enabled, retry: p.retry, interval: p.interval, haOnly: true };
    await driver.setHaSettings({ clientName: c.name, settings });
    await driver.addTags(clientArn, { [HA_POLICY_TAG]: haPolicyTagValue(settings) });
  }
}

export { tempDir };

/** An emulated world in `stateDir` with the golden seed and clock. */
export function goldenEmulator(stateDir: string): WorldEmulator {
  return createEmulator(openStore(stateDir), { now: () => T0, seed: SEED });
}

/** A state directory holding `desired` converged; `down` names an HSM then failed and left to retry. */
export async function convergedState(desired: DesiredFleet, options: { down?: string } = {}): Promise<string> {
  const stateDir = await tempDir('state');
  const emu = goldenEmulator(stateDir);
  await converge(emu, desired);
  if (options.down !== undefined) {
    await emu.fail(options.down, 'network');
    await emu.advance(90_000);
  }
  return stateDir;
}

/** A copy of an example outside any git work tree (so no revision shows in golden output). */
export async function exampleCopy(name: string): Promise<string> {
  const dir = await tempDir(name);
  await cp(join(ROOT, 'examples', name), dir, { recursive: true });
  return dir;
}

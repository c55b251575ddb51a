import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createEmulator, openEmulator } from '../../../src/emulator/index.js';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import type { ShellOutput } from '../../../src/emulator/shell/output.js';
import { memoryStore } from '../../../src/emulator/store/memory.js';
import type { Hsm, ObservedFleet } from '../../../src/fleet/types.js';
import { findHsm } from '../../../src/fleet/resolve.js';

/** Secrets the shell tests type; none may ever appear in what a shell prints. */
export const SO = 'so-Secret-4711';
export const DOMAIN = 'domain-Secret-0815';
export const PARTITION_PW = 'partition-Secret-2342';
export const SECRETS = [SO, DOMAIN, PARTITION_PW];

/** A world in memory with a fixed seed and a wall clock the test moves by hand. */
export function shellWorld(seed = 'shell-seed'): { emu: WorldEmulator; wall: { ms: number } } {
  const wall = { ms: Date.UTC(2024, 0, 15, 9, 0, 0) };
  return { emu: createEmulator(memoryStore(), { now: () => wall.ms, seed }), wall };
}

/** What `seedFleet` built, by the names the tests use. */
export interface SeededFleet {
  /** HSMs `hsm-a` and `hsm-b` (name tags), labels `prod-a` and `prod-b`. */
  a: Hsm;
  b: Hsm;
  hapgArn: string;
  clientArn: string;
  /** `<hapg-id>_<serial>` partition of each member. */
  partitionA: string;
  partitionB: string;
}

/**
 * The seed walkthrough done: two initialized HSMs in HAPG `hapg1`, client `app-1` trusting both,
 * registered to the group with its configuration written, autoRecovery on (retry 3, interval 90 s).
 */
export async function seedFleet(emu: WorldEmulator): Promise<SeededFleet> {
  const arns: string[] = [];
  for (const [name, zone] of [['hsm-a', 'us-east-1a'], ['hsm-b', 'us-east-1b']] as const) {
    const { hsmArn } = await emu.createHsm({ clientToken: name, availabilityZone: zone, tags: { 'hsmctl:name': name } });
    await emu.initializeHsm({ hsmArn, label: name.replace('hsm', 'prod'), cloningDomain: DOMAIN, soPassword: SO });
    arns.push(hsmArn);
  }
  const { hapgArn } = await emu.createHapg({ label: 'hapg1' });
  for (const hsmArn of arns) await emu.addHsmToHapg({ hsmArn, hapgArn, cloningDomain: DOMAIN, partitionPassword: PARTITION_PW, soPassword: SO });
  await emu.createCert('app-1');
  const { clientArn } = await emu.createClient({ name: 'app-1' });
  for (const hsmArn of arns) await emu.addServer({ clientName: 'app-1', hsmArn });
  await emu.registerClientToHapg({ clientArn, hapgArn });
  await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: true, retry: 3, interval: 90, haOnly: true } });
  await emu.getClientConfiguration({ clientArn, hapgArns: [hapgArn] });
  const fleet = await emu.describe();
  const a = hsmOf(fleet, 'hsm-a');
  const b = hsmOf(fleet, 'hsm-b');
  const id = hapgArn.slice(hapgArn.lastIndexOf(':') + 1);
  return { a, b, hapgArn, clientArn, partitionA: `${id}_${a.serial}`, partitionB: `${id}_${b.serial}` };
}

export function hsmOf(fleet: ObservedFleet, ref: string): Hsm {
  const hsm = findHsm(fleet, ref);
  if (!hsm) throw new Error(`test setup: no HSM ${ref}`);
  return hsm;
}

/** Asserts a successful invocation and returns its stdout. */
export function ok(output: ShellOutput): string {
  expect(output.stderr).toBe('');
  expect(output.exitCode).toBe(0);
  return output.stdout;
}

/** Asserts a refused invocation and returns its stderr. */
export function refused(output: ShellOutput): string {
  expect(output.exitCode).toBe(1);
  expect(output.stderr).not.toBe('');
  return output.stderr;
}

/** Asserts that no secret the tests use appears in any of `texts`. */
export function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** The observed world without its observation time, to compare before and after a refusal. */
export async function snapshot(emu: WorldEmulator): Promise<Omit<ObservedFleet, 'observedAt'>> {
  const { observedAt: _at, ...rest } = await emu.describe();
  return rest;
}

/**
 * A temporary state directory holding the seeded fleet, for CLI tests (`--state DIR`). The world
 * is built through the emulator directly, which is what the CLI opens too.
 */
export async function seededStateDir(): Promise<{ dir: string; fleet: SeededFleet; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-emu-'));
  const fleet = await seedFleet(openEmulator(dir));
  return { dir, fleet, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

import { expect } from 'vitest';
import { DeviceError } from '../../src/errors.js';
import { createEmulator } from '../../src/emulator/index.js';
import type { WorldEmulator } from '../../src/emulator/index.js';
import { memoryStore } from '../../src/emulator/store/memory.js';

/** Secrets the tests use; none of them may ever show up in the stored state. */
export const SO_PASSWORD = 'so-Secret-4711';
export const CLONING_DOMAIN = 'domain-Secret-0815';
export const PARTITION_PASSWORD = 'partition-Secret-2342';

/** A fresh world in memory with a fixed seed and a wall clock the test moves by hand. */
export function testWorld(seed = 'test-seed'): { emu: WorldEmulator; wall: { ms: number } } {
  const wall = { ms: Date.UTC(2024, 0, 15, 9, 0, 0) };
  const emu = createEmulator(memoryStore(), { now: () => wall.ms, seed });
  return { emu, wall };
}

/** Creates and initializes an HSM; returns its ARN. */
export async function initializedHsm(emu: WorldEmulator, name: string, availabilityZone = 'us-east-1a', cloningDomain = CLONING_DOMAIN): Promise<string> {
  const { hsmArn } = await emu.createHsm({ clientToken: name, availabilityZone, tags: { 'hsmctl:name': name } });
  await emu.initializeHsm({ hsmArn, label: name, cloningDomain, soPassword: SO_PASSWORD });
  return hsmArn;
}

/** What `haFleet` built. */
export interface HaFleet {
  hsmArns: string[];
  hapgArn: string;
  clientArn: string;
  /** HSM serials in member order. */
  serials: string[];
}

/**
 * The seed's setup: `members` initialized HSMs in a HAPG, client `app-1` registered and
 * configured, autoRecovery as given (off when undefined).
 */
export async function haFleet(emu: WorldEmulator, members = 2, autoRecovery?: { retry: number; interval: number }): Promise<HaFleet> {
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  const hsmArns: string[] = [];
  for (let i = 0; i < members; i++) hsmArns.push(await initializedHsm(emu, `hsm-${i}`, zones[i % zones.length]));
  const { hapgArn } = await emu.createHapg({ label: 'hapg1' });
  for (const hsmArn of hsmArns) {
    await emu.addHsmToHapg({ hsmArn, hapgArn, cloningDomain: CLONING_DOMAIN, partitionPassword: PARTITION_PASSWORD, soPassword: SO_PASSWORD });
  }
  await emu.createCert('app-1');
  const { clientArn } = await emu.createClient({ name: 'app-1' });
  await emu.registerClientToHapg({ clientArn, hapgArn });
  if (autoRecovery !== undefined) {
    await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: true, ...autoRecovery, haOnly: true } });
  }
  await emu.getClientConfiguration({ clientArn, hapgArns: [hapgArn] });
  const fleet = await emu.describe();
  const serials = hsmArns.map((arn) => fleet.hsms.find((h) => h.arn === arn)?.serial ?? '');
  return { hsmArns, hapgArn, clientArn, serials };
}

/** Asserts that `promise` rejects with a DeviceError of `code` whose message matches `message`. */
export async function expectRefusal(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<DeviceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeviceError);
  const refusal = err as DeviceError;
  expect(refusal.code).toBe(code);
  if (message !== undefined) expect(refusal.message).toMatch(message);
  return refusal;
}

/** The HA state of each member of `app-1`'s group, in member order. */
export async function memberStates(emu: WorldEmulator, client = 'app-1'): Promise<string[]> {
  const fleet = await emu.describe();
  return fleet.clients.find((c) => c.name === client)?.haStatus[0]?.members.map((m) => m.state) ?? [];
}

/** Handles of the objects an HSM holds. */
export async function handlesOn(emu: WorldEmulator, hsm: string): Promise<number[]> {
  return (await emu.listKeys(hsm)).map((o) => o.handle);
}

/** Minutes in ms. */
export const minutes = (n: number): number => n * 60_000;

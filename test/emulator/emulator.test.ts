import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { createEmulator, openEmulator } from '../../src/emulator/index.js';
import { memoryStore } from '../../src/emulator/store/memory.js';
import { expectRefusal, haFleet, initializedHsm, minutes, testWorld } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the emulator as a whole', () => {
  it('keeps its world in a state directory across processes (openEmulator)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-emu-'));
    dirs.push(dir);
    const now = () => Date.UTC(2024, 0, 15);
    const first = openEmulator(dir, { now });
    const { hsmArns } = await haFleet(first, 2, { retry: -1, interval: 60 });
    await first.createKey({ clientName: 'app-1', hapgLabel: 'hapg1', label: 'k' });
    await first.fail(hsmArns[1] ?? '', 'power');
    const second = openEmulator(dir, { now });
    const fleet = await second.describe();
    expect(fleet).toEqual(await first.describe());
    expect(fleet.hsms.map((h) => h.reachability)).toEqual(['reachable', 'power-lost']);
    expect(await second.listKeys(hsmArns[0] ?? '')).toHaveLength(1);
  });

  it('a refusal changes nothing', async () => {
    const { emu } = testWorld();
    const arn = await initializedHsm(emu, 'a');
    const before = await emu.store.read();
    await expectRefusal(emu.deleteHsm(arn), 'InvalidRequestException');
    expect(await emu.store.read()).toEqual(before);
  });

  it('moves the virtual clock with advance and reports it with now()', async () => {
    const { emu, wall } = testWorld();
    expect(await emu.now()).toBe(wall.ms);
    await emu.advance(minutes(90));
    expect(await emu.now()).toBe(wall.ms + minutes(90));
    expect((await emu.describe()).observedAt).toBe(new Date(wall.ms + minutes(90)).toISOString());
    await expect(emu.advance(-1)).rejects.toBeInstanceOf(UserError);
    expect(await emu.settings()).toEqual({ latencyMs: 0, provisioningMs: 0, clockOffsetMs: minutes(90) });
  });

  it('takes the latency per device operation, outside the store lock', async () => {
    const emu = createEmulator(memoryStore(), { seed: 's' });
    await emu.setLatency(60);
    const started = performance.now();
    await Promise.all([0, 1, 2, 3, 4].map((i) => emu.createHsm({ clientToken: `t${i}`, availabilityZone: 'us-east-1a' })));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(5 * 60); // serialised sleeps would take 300 ms
    expect((await emu.describe()).hsms).toHaveLength(5);
    expect((await emu.settings()).latencyMs).toBe(60);
  });

  it('makes the change on the device before the answer comes back, as a real appliance does', async () => {
    const emu = createEmulator(memoryStore(), { seed: 's' });
    await emu.setLatency(200);
    let answered = false;
    const started = performance.now();
    const creating = emu.createHsm({ clientToken: 't', availabilityZone: 'us-east-1a' }).then((result) => {
      answered = true;
      return result;
    });
    expect((await emu.describe()).hsms).toHaveLength(0); // still on its way to the device
    // Look until the HSM is there: a caller killed from then on has changed the world unanswered.
    while ((await emu.describe()).hsms.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    const seenAfter = performance.now() - started;
    const { hsmArn } = await creating;
    expect((await emu.describe()).hsms.map((h) => h.arn)).toEqual([hsmArn]);
    expect(seenAfter).toBeGreaterThanOrEqual(95); // half the latency on the way there
    expect(performance.now() - started).toBeGreaterThanOrEqual(195); // the whole latency in all
  });

  it('answers a refused device operation after the latency too', async () => {
    const emu = createEmulator(memoryStore(), { seed: 's' });
    await emu.setLatency(100);
    const started = performance.now();
    await expect(emu.deleteHsm('arn:aws:cloudhsm:us-east-1:111122223333:hsm-00000000')).rejects.toBeDefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('reset forgets everything and starts a fresh world with the same seed', async () => {
    const { emu } = testWorld();
    const first = await emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a' });
    await emu.advance(minutes(5));
    await emu.reset();
    const fleet = await emu.describe();
    expect(fleet.hsms).toEqual([]);
    expect((await emu.settings()).clockOffsetMs).toBe(0);
    expect((await emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a' })).hsmArn).toBe(first.hsmArn);
  });

  it('hands out the same identifiers for the same seed, different ones for another', async () => {
    const arns = async (seed: string) => (await testWorld(seed).emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a' })).hsmArn;
    expect(await arns('one')).toBe(await arns('one'));
    expect(await arns('one')).not.toBe(await arns('two'));
  });

  it('refuses a state written by a newer format', async () => {
    const store = memoryStore();
    await store.mutate((s) => void (s.meta['formatVersion'] = 99));
    await expect(createEmulator(store).describe()).rejects.toThrow(/format version 99/);
  });
});

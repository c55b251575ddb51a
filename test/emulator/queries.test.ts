import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { memoryStore } from '../../src/emulator/store/memory.js';
import { openStore } from '../../src/emulator/store/store.js';
import type { Snapshot, Store } from '../../src/emulator/store/types.js';
import { DeviceError } from '../../src/errors.js';
import { CLONING_DOMAIN, haFleet, initializedHsm, memberStates, minutes } from './fixtures.js';
import { tempDir } from './store/helpers.js';

/**
 * Read-only questions (`describe`, `verifyCloningDomain`) asked together share one read of the
 * store; a describe runs due autoRecovery attempts, a cloning-domain check reads only the HSMs.
 */

/** What a store was asked, in order. */
type Call = 'read' | 'mutate' | `peek ${string}`;

/** `inner` with every call recorded. */
function counted(inner: Store): { store: Store; calls: Call[] } {
  const calls: Call[] = [];
  const store: Store = {
    dir: inner.dir,
    read: () => {
      calls.push('read');
      return inner.read();
    },
    mutate: <T>(fn: (s: Snapshot) => T | Promise<T>) => {
      calls.push('mutate');
      return inner.mutate(fn);
    },
  };
  if (inner.peek !== undefined) {
    const peek = inner.peek.bind(inner);
    store.peek = (collections) => {
      calls.push(`peek ${collections?.join(',') ?? 'all'}`);
      return peek(collections);
    };
  }
  return { store, calls };
}

/** A world with an HA group in memory (read through a recording store) and a hand-moved clock. */
async function recordedWorld(autoRecovery?: { retry: number; interval: number }) {
  const { store, calls } = counted(memoryStore());
  const wall = { ms: Date.UTC(2024, 0, 15, 9, 0, 0) };
  const emu = createEmulator(store, { now: () => wall.ms, seed: 'queries' });
  const fleet = await haFleet(emu, 3, autoRecovery);
  calls.length = 0;
  return { emu, wall, calls, ...fleet };
}

describe('read-only questions', () => {
  it('asked together are answered from one read, writing nothing', async () => {
    const { emu, calls, hsmArns } = await recordedWorld();
    const [fleet, ...checks] = await Promise.all([emu.describe(), ...hsmArns.map((arn) => emu.verifyCloningDomain(arn, CLONING_DOMAIN))]);
    expect(fleet.hsms).toHaveLength(3);
    expect(checks).toEqual([true, true, true]);
    expect(calls).toEqual(['read']);
  });

  it('each succeed or fail on their own', async () => {
    const { emu, hsmArns } = await recordedWorld();
    const [known, unknown, wrong] = await Promise.allSettled([
      emu.verifyCloningDomain(hsmArns[0]!, CLONING_DOMAIN),
      emu.verifyCloningDomain('arn:aws:cloudhsm:us-east-1:000000000000:hsm-00000000', CLONING_DOMAIN),
      emu.verifyCloningDomain(hsmArns[1]!, 'another domain'),
    ]);
    expect(known).toEqual({ status: 'fulfilled', value: true });
    expect(unknown).toMatchObject({ status: 'rejected', reason: expect.any(DeviceError) as unknown });
    expect(wrong).toEqual({ status: 'fulfilled', value: false });
  });

  it('see every change that finished before they were asked', async () => {
    const { emu, hsmArns } = await recordedWorld();
    expect(await emu.verifyCloningDomain(hsmArns[0]!, CLONING_DOMAIN)).toBe(true);
    await emu.zeroizeHsm(hsmArns[0]!);
    expect(await emu.verifyCloningDomain(hsmArns[0]!, CLONING_DOMAIN)).toBe(false);
    await emu.initializeHsm({ hsmArn: hsmArns[0]!, label: 'again', cloningDomain: 'a new domain', soPassword: 'so-new-1234' });
    expect(await Promise.all([emu.verifyCloningDomain(hsmArns[0]!, CLONING_DOMAIN), emu.verifyCloningDomain(hsmArns[0]!, 'a new domain')])).toEqual([false, true]);
  });

  it('with a describe among them run the autoRecovery attempts that fell due, in one mutation', async () => {
    const { emu, wall, calls, hsmArns } = await recordedWorld({ retry: -1, interval: 60 });
    await emu.fail(hsmArns[1]!, 'network');
    await emu.restore(hsmArns[1]!);
    expect(await memberStates(emu)).toEqual(['alive', 'recovering', 'alive']);
    wall.ms += minutes(1);
    calls.length = 0;
    const [fleet, same] = await Promise.all([emu.describe(), emu.verifyCloningDomain(hsmArns[1]!, CLONING_DOMAIN)]);
    expect(fleet.clients[0]?.haStatus[0]?.members.map((m) => m.state)).toEqual(['alive', 'alive', 'alive']);
    expect(same).toBe(true);
    expect(calls).toEqual(['read', 'mutate']);
  });

  it('of cloning domains alone leave due attempts to the next describe, which decides them the same way', async () => {
    const { emu, wall, calls, hsmArns } = await recordedWorld({ retry: 2, interval: 60 });
    await emu.fail(hsmArns[1]!, 'power');
    wall.ms += minutes(5); // both attempts fell due while the member was still down
    calls.length = 0;
    expect(await Promise.all(hsmArns.map((arn) => emu.verifyCloningDomain(arn, CLONING_DOMAIN)))).toEqual([true, true, true]);
    expect(calls).toEqual(['read']);
    const fleet = await emu.describe();
    expect(fleet.clients[0]?.haStatus[0]?.members[1]).toMatchObject({ state: 'needs-manual-recovery', attempts: 2 });
  });
});

describe('read-only questions on the file store', () => {
  it('read the store without its lock-step copy: a describe peeks at everything, checks at the HSMs only', async () => {
    const { store, calls } = counted(openStore(tempDir().state));
    const emu = createEmulator(store, { seed: 'queries-file' });
    const arns = [await initializedHsm(emu, 'hsm-a'), await initializedHsm(emu, 'hsm-b')];
    calls.length = 0;
    const fleet = await emu.describe();
    expect(await Promise.all(arns.map((arn) => emu.verifyCloningDomain(arn, CLONING_DOMAIN)))).toEqual([true, true]);
    expect(fleet.hsms.map((h) => h.arn)).toEqual(arns);
    expect(calls).toEqual(['peek all', 'peek hsms']);
  });

  it('notice a change made by another process between two questions', async () => {
    const { state } = tempDir();
    const emu = createEmulator(openStore(state), { seed: 'queries-file' });
    const arn = await initializedHsm(emu, 'hsm-a');
    expect(await emu.verifyCloningDomain(arn, CLONING_DOMAIN)).toBe(true);
    const other = createEmulator(openStore(state));
    await other.zeroizeHsm(arn);
    await other.initializeHsm({ hsmArn: arn, label: 'hsm-a', cloningDomain: 'domain of the other process', soPassword: 'so-other-1234' });
    expect(await emu.verifyCloningDomain(arn, CLONING_DOMAIN)).toBe(false);
    expect(await emu.verifyCloningDomain(arn, 'domain of the other process')).toBe(true);
  });
});

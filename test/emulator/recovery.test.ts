import { describe, expect, it } from 'vitest';
import { tickHa } from '../../src/emulator/ha/recovery.js';
import type { Snapshot } from '../../src/emulator/store/types.js';
import type { ClientDoc } from '../../src/emulator/world/types.js';
import { worldOf } from '../../src/emulator/world/world.js';
import { haFleet, minutes, testWorld } from './fixtures.js';

/**
 * `tickHa` alone: a pure function of (world, now) → world, driven here on snapshots taken from
 * a real world, with no store and no clock in between.
 */

async function downMember(settings: { retry: number; interval: number }): Promise<{ snapshot: Snapshot; downAt: number; hsmId: string }> {
  const { emu, wall } = testWorld();
  const { hsmArns } = await haFleet(emu, 2, settings);
  await emu.fail(hsmArns[1] ?? '', 'power');
  const snapshot = await emu.store.read();
  return { snapshot, downAt: wall.ms, hsmId: hsmArns[1]?.split(':').pop() ?? '' };
}

function tick(snapshot: Snapshot, now: number): ClientDoc {
  const copy = structuredClone(snapshot);
  const world = worldOf(copy);
  tickHa({ world, now });
  const client = world.clients['app-1'];
  if (client === undefined) throw new Error('no client');
  return client;
}

const member = (client: ClientDoc) => client.groups[0]?.members[1];

describe('tickHa', () => {
  it.each([
    { name: 'before the first attempt', after: minutes(1) - 1, attempts: 0, state: 'recovering' },
    { name: 'at the first attempt', after: minutes(1), attempts: 1, state: 'recovering' },
    { name: 'between attempts', after: minutes(4) + 30_000, attempts: 4, state: 'recovering' },
    { name: 'at the last attempt', after: minutes(5), attempts: 5, state: 'needs-manual-recovery' },
    { name: 'long after the last attempt', after: minutes(600), attempts: 5, state: 'needs-manual-recovery' },
  ])('counts the attempts that fell due ($name) while the member stays unreachable', async ({ after, attempts, state }) => {
    const { snapshot, downAt } = await downMember({ retry: 5, interval: 60 });
    expect(member(tick(snapshot, downAt + after))).toMatchObject({ attempts, state });
  });

  it('schedules the next attempt one interval after the last one', async () => {
    const { snapshot, downAt } = await downMember({ retry: -1, interval: 120 });
    expect(member(tick(snapshot, downAt + minutes(5)))).toMatchObject({ attempts: 2, nextAttemptAt: downAt + minutes(6) });
  });

  it('handles a year of infinite retries in one step', async () => {
    const { snapshot, downAt } = await downMember({ retry: -1, interval: 60 });
    const year = 365 * 24 * 60;
    const started = performance.now();
    expect(member(tick(snapshot, downAt + minutes(year)))).toMatchObject({ attempts: year, state: 'recovering' });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('is deterministic and idempotent at one instant', async () => {
    const { snapshot, downAt } = await downMember({ retry: 3, interval: 60 });
    const once = structuredClone(snapshot);
    tickHa({ world: worldOf(once), now: downAt + minutes(2) });
    const twice = structuredClone(once);
    tickHa({ world: worldOf(twice), now: downAt + minutes(2) });
    expect(twice).toEqual(once);
    expect(tick(snapshot, downAt + minutes(2))).toEqual(worldOf(once).clients['app-1']);
  });

  it('brings back a member that is usable again at its next attempt and resynchronises it', async () => {
    const { snapshot, downAt, hsmId } = await downMember({ retry: -1, interval: 60 });
    const world = worldOf(structuredClone(snapshot));
    const hsm = world.hsms[hsmId];
    if (hsm === undefined) throw new Error('no hsm');
    hsm.faults = { power: 'on', network: 'up' };
    const [first] = Object.values(world.hsms);
    first?.partitions[0]?.objects.push({ handle: 7, label: 'k', keyType: 'AES', bits: 256, fingerprint: 'f', createdAt: 'x' });
    tickHa({ world, now: downAt + minutes(1) });
    expect(world.clients['app-1']?.groups[0]?.members[1]).toMatchObject({ state: 'alive', attempts: 0, downSince: null });
    expect(hsm.partitions[0]?.objects.map((o) => o.handle)).toEqual([7]);
  });
});

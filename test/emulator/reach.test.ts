import { describe, expect, it } from 'vitest';
import { isUsable, ReachIndex } from '../../src/emulator/ha/reach.js';
import type { World } from '../../src/emulator/world/world.js';
import { worldOf } from '../../src/emulator/world/world.js';
import { haFleet, testWorld } from './fixtures.js';

/**
 * Whether a client can use a member, asked with and without a `ReachIndex` (the lookups one HA
 * tick shares): the same answer for every way a Network Trust Link can be broken.
 */

async function threeMembers(): Promise<{ world: World; now: number }> {
  const { emu, wall } = testWorld();
  await haFleet(emu, 3);
  return { world: worldOf(await emu.store.read()), now: wall.ms };
}

const breakages: { name: string; usable: boolean[]; apply: (w: World) => void }[] = [
  { name: 'nothing broken', usable: [true, true, true], apply: () => undefined },
  {
    name: 'the client trusts another certificate at a member\'s address (and the right one at another)',
    usable: [false, true, true],
    apply: (w) => {
      const client = w.clients['app-1']!;
      const hsm = Object.values(w.hsms)[0]!;
      const entry = client.servers.find((s) => s.host === hsm.eniIp)!;
      entry.certificate = { ...entry.certificate, fingerprint: 'AA:BB' };
      client.servers.push({ ...entry, host: '10.9.9.9', certificate: hsm.serverCertificate });
    },
  },
  {
    name: 'a second entry for the same address holds the right certificate',
    usable: [true, true, true],
    apply: (w) => {
      const client = w.clients['app-1']!;
      const hsm = Object.values(w.hsms)[1]!;
      const entry = client.servers.find((s) => s.host === hsm.eniIp)!;
      client.servers.unshift({ ...entry, certificate: { ...entry.certificate, fingerprint: 'CC:DD' } });
    },
  },
  {
    name: 'the appliance lists the client twice, the first without the partition',
    usable: [true, false, true],
    apply: (w) => {
      const hsm = Object.values(w.hsms)[1]!;
      const link = hsm.clients.find((c) => c.id === 'app-1')!;
      hsm.clients.unshift({ ...link, partitions: [] });
    },
  },
  {
    name: 'the client was registered with another certificate',
    usable: [true, true, false],
    apply: (w) => {
      const link = Object.values(w.hsms)[2]!.clients.find((c) => c.id === 'app-1')!;
      link.certificateFingerprint = 'EE:FF';
    },
  },
  {
    name: 'a member is powered off',
    usable: [false, true, true],
    apply: (w) => {
      Object.values(w.hsms)[0]!.faults.power = 'off';
    },
  },
];

describe('reach', () => {
  it.each(breakages)('answers the same with an index: $name', async ({ usable, apply }) => {
    const { world, now } = await threeMembers();
    apply(world);
    const client = world.clients['app-1']!;
    const members = client.groups[0]!.members;
    const ctx = { world, now };
    const index = new ReachIndex();
    expect(members.map((m) => isUsable(ctx, client, m))).toEqual(usable);
    expect(members.map((m) => isUsable(ctx, client, m, index))).toEqual(usable);
  });
});

import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { openStore } from '../../src/emulator/store/store.js';
import type { Snapshot } from '../../src/emulator/store/types.js';
import type { HsmDoc, WorldMeta } from '../../src/emulator/world/types.js';
import { haFleet } from './fixtures.js';
import { readLater, tempDir } from './store/helpers.js';

/**
 * A long-running reader (watch) describes an unchanged world over and over; whether a client's
 * live members are still usable is then remembered per frozen document. A change made behind the
 * emulator's back (a state file edited: no operation, so no HA tick) must still be noticed by the
 * next describe, which takes the member out of rotation.
 */

const hsmsOf = (s: Snapshot) => s.collections.hsms as unknown as Record<string, HsmDoc>;

const edits: { name: string; edit: (s: Snapshot, hsmId: string) => void }[] = [
  {
    name: 'the client registration removed from the appliance',
    edit: (s, hsmId) => {
      hsmsOf(s)[hsmId]!.clients = [];
    },
  },
  {
    name: 'the appliance powered off',
    edit: (s, hsmId) => {
      hsmsOf(s)[hsmId]!.faults.power = 'off';
    },
  },
  {
    name: 'a provisioning time long enough to make every HSM provisioning again',
    edit: (s) => {
      (s.meta as unknown as WorldMeta).provisioningMs = 365 * 24 * 3600 * 1000;
    },
  },
];

describe('describe after a change made behind the emulator', () => {
  readLater();

  it.each(edits)('takes the member out of rotation: $name', async ({ edit }) => {
    const { state } = tempDir();
    const emu = createEmulator(openStore(state), { seed: 'pending' });
    const { hsmArns } = await haFleet(emu, 2, { retry: -1, interval: 60 });
    for (let i = 0; i < 3; i++) {
      const fleet = await emu.describe();
      expect(fleet.clients[0]?.haStatus[0]?.members.map((m) => m.state)).toEqual(['alive', 'alive']);
    }
    const hsmId = hsmArns[1]!.split(':').pop()!;
    await openStore(state).mutate((s) => edit(s, hsmId));
    const states = (await emu.describe()).clients[0]?.haStatus[0]?.members.map((m) => m.state);
    expect(states).not.toEqual(['alive', 'alive']);
    expect(states?.[1]).not.toBe('alive');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import type { WorldEmulator } from '../../src/emulator/index.js';
import { memoryStore } from '../../src/emulator/store/memory.js';
import type { Snapshot } from '../../src/emulator/store/types.js';
import { DeviceError } from '../../src/errors.js';
import { haFleet, testWorld } from './fixtures.js';

/**
 * The HA invariant: whatever happens to the members (power and network losses, restores, time
 * passing, automatic and manual recoveries), no created object is ever lost while a member that
 * held it survives, members in rotation always hold identical objects, and once every member is
 * restored and recovered, every member holds every object.
 */

type Command =
  | { kind: 'key' }
  | { kind: 'fail'; member: number; mode: 'power' | 'network' }
  | { kind: 'restore'; member: number }
  | { kind: 'advance'; seconds: number }
  | { kind: 'recover'; member: number };

const MEMBERS = 3;
const member = fc.integer({ min: 0, max: MEMBERS - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Command>({ kind: 'key' }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fail' as const), member, mode: fc.constantFrom('power' as const, 'network' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restore' as const), member }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 900 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recover' as const), member }) },
);
const settings = fc.record({
  autoRecovery: fc.boolean(),
  retry: fc.constantFrom(-1, 0, 1, 3),
  interval: fc.integer({ min: 60, max: 300 }),
});

/** A fleet of three members built once; each run starts from a copy of it. */
async function baseWorld(): Promise<{ snapshot: Snapshot; hsmArns: string[]; serials: string[] }> {
  const { emu } = testWorld('property');
  const { hsmArns, serials } = await haFleet(emu, MEMBERS);
  return { snapshot: await emu.store.read(), hsmArns, serials };
}

async function fromSnapshot(snapshot: Snapshot, wall: { ms: number }): Promise<WorldEmulator> {
  const store = memoryStore();
  await store.mutate((s) => {
    Object.assign(s.meta, structuredClone(snapshot.meta));
    Object.assign(s.collections, structuredClone(snapshot.collections));
  });
  return createEmulator(store, { now: () => wall.ms, seed: 'property' });
}

/** Handles held by each member's HAPG partition, straight from the stored state. */
async function heldBy(emu: WorldEmulator): Promise<number[][]> {
  const snapshot = await emu.store.read();
  const hsms = Object.values(snapshot.collections['hsms'] ?? {}) as { seq: number; partitions: { objects: { handle: number }[] }[] }[];
  return hsms.sort((a, b) => a.seq - b.seq).map((h) => (h.partitions[0]?.objects ?? []).map((o) => o.handle).sort((a, b) => a - b));
}

/** Runs a command; refusals of the devices (nothing live, not reachable) are part of the game. */
async function run(emu: WorldEmulator, cmd: Command, arns: string[], serials: string[], created: number[]): Promise<void> {
  const at = (i: number) => arns[i] ?? '';
  try {
    switch (cmd.kind) {
      case 'key':
        created.push((await emu.createKey({ clientName: 'app-1', hapgLabel: 'hapg1', label: `k${created.length}` })).object.handle);
        break;
      case 'fail':
        await emu.fail(at(cmd.member), cmd.mode);
        break;
      case 'restore':
        await emu.restore(at(cmd.member));
        break;
      case 'advance':
        await emu.advance(cmd.seconds * 1000);
        break;
      case 'recover':
        await emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg1', hsmSerial: serials[cmd.member] ?? '' });
        break;
    }
  } catch (err) {
    if (!(err instanceof DeviceError)) throw err;
  }
}

describe('HA invariant (property)', () => {
  it('never loses an object and converges once every member is back', async () => {
    const base = await baseWorld();
    await fc.assert(
      fc.asyncProperty(settings, fc.array(command, { maxLength: 30 }), async (ha, commands) => {
        const wall = { ms: Date.UTC(2024, 0, 15, 10) }; // after the base world was built
        const emu = await fromSnapshot(base.snapshot, wall);
        await emu.setHaSettings({ clientName: 'app-1', settings: { ...ha, haOnly: true } });
        const created: number[] = [];
        for (const cmd of commands) {
          await run(emu, cmd, base.hsmArns, base.serials, created);
          const held = await heldBy(emu);
          const union = new Set(held.flat());
          for (const handle of created) expect(union.has(handle)).toBe(true);
          // Members in rotation hold identical objects (writes are mirrored, recoveries resync).
          const states = (await emu.describe()).clients[0]?.haStatus[0]?.members.map((m) => m.state) ?? [];
          const alive = held.filter((_, i) => states[i] === 'alive');
          for (const handles of alive) expect(handles).toEqual(alive[0]);
        }
        for (const arn of base.hsmArns) await emu.restore(arn);
        for (const serial of base.serials) await emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg1', hsmSerial: serial });
        const held = await heldBy(emu);
        for (const handles of held) expect(handles).toEqual([...created].sort((a, b) => a - b));
        const states = (await emu.describe()).clients[0]?.haStatus[0]?.members.map((m) => m.state);
        expect(states).toEqual(['alive', 'alive', 'alive']);
      }),
      { numRuns: 150 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/reconcile/apply/executor.js';
import { client, fleet, hapg, hsm } from '../../fixtures/worlds/desired.js';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import { memoryWorld, planFor } from './world.js';

/**
 * A member leaves its group while it alone holds a key object, because the other members were out
 * of the client's rotation when the object was written and nothing brings them back on its own.
 * The first apply recovers them (which copies the object over) and holds the removal back; the
 * second removes the member without loss. Without the hold the plan was refused as a whole, and
 * so the recoveries that make the removal safe never ran.
 */
const policy = { enabled: true, retry: -1, interval: 60 };
const hsms = [hsm('hsm-a'), hsm('hsm-b'), hsm('hsm-c')];
const three = fleet({ hsms, hapgs: [hapg('hapg1', ['hsm-a', 'hsm-b', 'hsm-c'])], clients: [client('app-1', ['hapg1'], policy)] });
const two = fleet({ hsms, hapgs: [hapg('hapg1', ['hsm-a', 'hsm-b'])], clients: [client('app-1', ['hapg1'], policy)] });

async function holdersOf(emu: WorldEmulator, label: string): Promise<string[]> {
  const names = ['hsm-a', 'hsm-b', 'hsm-c'];
  return (await Promise.all(names.map(async (n) => ((await emu.listKeys(n)).some((k) => k.label === label) ? [n] : [])))).flat();
}

/** By hand: autoRecovery off; hsm-a and hsm-b lose power, a key is written (only hsm-c takes it), and they come back out of rotation. */
async function writeWhileOthersAway(emu: WorldEmulator, label: string): Promise<void> {
  await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: false, retry: -1, interval: 60, haOnly: true } });
  await emu.fail('hsm-a', 'power');
  await emu.fail('hsm-b', 'power');
  await emu.createKey({ clientName: 'app-1', hapgLabel: 'hapg1', label });
  await emu.restore('hsm-a');
  await emu.restore('hsm-b');
  expect(await holdersOf(emu, label)).toEqual(['hsm-c']);
}

describe('a removal held back until recoveries make it safe', () => {
  it('takes two applies, refuses nothing and loses no key object', async () => {
    const emu = memoryWorld('held-back');
    expect((await applyPlan(await planFor(emu, three), { driver: emu, desired: three })).outcome).toBe('complete');

    await writeWhileOthersAway(emu, 'only-on-c');
    const holders = () => holdersOf(emu, 'only-on-c');

    const first = await planFor(emu, two);
    expect(first.applyable).toBe(true);
    expect(first.heldBack.map((h) => h.address)).toEqual(['hapg.hapg1.member.hsm-c']);
    const one = await applyPlan(first, { driver: emu, desired: two });
    expect(one.outcome).toBe('held-back');
    expect(await holders()).toEqual(['hsm-a', 'hsm-b', 'hsm-c']);

    // The fresh plan removes hsm-c, now without loss.
    const next = one.verification!.remaining!;
    expect(next.applyable).toBe(true);
    expect(next.heldBack).toEqual([]);
    expect(next.actions.find((a) => a.kind === 'hapg.removeMember')).toMatchObject({ address: 'hapg.hapg1.member.hsm-c', destructive: false });
    const second = await applyPlan(await planFor(emu, two), { driver: emu, desired: two });
    expect(second.outcome).toBe('complete');
    const group = (await emu.describe()).hapgs.find((g) => g.label === 'hapg1')!;
    expect(group.members).toHaveLength(2);
    expect((await holders()).filter((n) => n !== 'hsm-c')).toEqual(['hsm-a', 'hsm-b']);
  });
});

describe('a removal planned as harmless', () => {
  it('fails, changing nothing, when the member took the only copy of an object after the plan was made', async () => {
    const emu = memoryWorld('removal-recheck');
    expect((await applyPlan(await planFor(emu, three), { driver: emu, desired: three })).outcome).toBe('complete');
    const harmless = await planFor(emu, two);
    expect(harmless.actions.find((a) => a.kind === 'hapg.removeMember')?.destructive).toBe(false);

    await writeWhileOthersAway(emu, 'written-late');
    const result = await applyPlan(harmless, { driver: emu, desired: two });
    expect(result.outcome).toBe('failed');
    const failed = result.actions.find((a) => a.status === 'failed');
    expect(failed).toMatchObject({ kind: 'hapg.removeMember', error: { code: 'apply.unsafe' } });
    expect(failed!.error!.message).toBe(
      'hsm hsm-c now holds 1 key object no other member of hapg hapg1 holds (written since the plan was made), so it stays; run "hsmctl plan" again',
    );
    expect((await emu.describe()).hapgs.find((g) => g.label === 'hapg1')!.members).toHaveLength(3);
    expect(await holdersOf(emu, 'written-late')).toEqual(['hsm-c']);
  });
});

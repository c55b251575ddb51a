import { describe, expect, it } from 'vitest';
import type { DesiredFleet } from '../../../src/config/types.js';
import { managedTags, NAME_TAG, PROTECT_TAG } from '../../../src/fleet/tags.js';
import type { Hsm } from '../../../src/fleet/types.js';
import { HANDLERS } from '../../../src/reconcile/actions/index.js';
import { applyPlan } from '../../../src/reconcile/apply/executor.js';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import { edit } from '../../fixtures/worlds/desired.js';
import { actionContext, memoryWorld, mutations, planFor, quickstartDesired, watched } from '../apply/world.js';

/** `hsm.setProtection` and a protected `hsm.create` on the emulated devices: the tag is set, removed, and found in place. */

async function hsmA(emu: WorldEmulator): Promise<Hsm> {
  return (await emu.describe()).hsms.find((h) => h.tags[NAME_TAG] === 'hsm-a')!;
}

const protectingA = (desired: DesiredFleet, protect: boolean): DesiredFleet =>
  edit(desired, (d) => Object.assign(d.hsms.find((h) => h.name === 'hsm-a')!, { protect }));

/** The quickstart applied to a fresh emulated world, with hsm-a declared `protect: initially`. */
async function applied(initially: boolean): Promise<{ emu: WorldEmulator; desired: DesiredFleet }> {
  const emu = memoryWorld();
  const desired = protectingA(await quickstartDesired(), initially);
  const result = await applyPlan(await planFor(emu, desired), { driver: emu, desired });
  expect(result.outcome).toBe('complete');
  return { emu, desired };
}

describe('protect on the emulated devices', () => {
  it('a protected HSM is created with the tag, and the plan of the quickstart gains no action', async () => {
    const emu = memoryWorld();
    const desired = protectingA(await quickstartDesired(), true);
    const plan = await planFor(emu, desired);
    expect(plan.actions).toHaveLength(17);
    await applyPlan(plan, { driver: emu, desired });
    expect((await hsmA(emu)).tags[PROTECT_TAG]).toBe('true');
    const other = (await emu.describe()).hsms.find((h) => h.tags[NAME_TAG] === 'hsm-b')!;
    expect(other.tags).not.toHaveProperty(PROTECT_TAG);
  });

  it.each([
    { name: 'protect: false → true adds the tag', from: false, to: true },
    { name: 'protect: true → false removes the tag', from: true, to: false },
  ])('$name; a second apply has nothing to do', async ({ from, to }) => {
    const { emu, desired } = await applied(from);
    // A tag someone else put on the HSM stays.
    await emu.addTags((await hsmA(emu)).arn, { owner: 'team-a' });
    const changed = protectingA(desired, to);
    const plan = await planFor(emu, changed);
    expect(plan.actions.map((a) => a.id)).toEqual(['hsm.setProtection:hsm-a']);

    const result = await applyPlan(plan, { driver: emu, desired: changed });
    expect(result.outcome).toBe('complete');
    expect(result.actions[0]).toMatchObject({ status: 'done', result: 'configured' });
    expect(result.counts).toMatchObject({ changed: 1 });
    expect(result.verification?.converged).toBe(true);
    expect((await hsmA(emu)).tags).toEqual({ ...managedTags('hsm-a'), owner: 'team-a', ...(to ? { [PROTECT_TAG]: 'true' } : {}) });

    expect((await planFor(emu, changed)).actions).toEqual([]);
    // The same action again finds its effect in place and touches nothing.
    const { driver, calls } = watched(emu);
    const again = await HANDLERS['hsm.setProtection'].apply(plan.actions[0] as never, { ...actionContext(emu, changed), driver });
    expect(again).toBe('unchanged (already there)');
    expect(mutations(calls)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { NAME_TAG } from '../../../src/fleet/tags.js';
import { applyPlan } from '../../../src/reconcile/apply/executor.js';
import { client, fleet, hapg, hsm } from '../../fixtures/worlds/desired.js';
import { memoryWorld, planFor } from './world.js';

/** Cases the executor's property test once found where one apply did not converge. */
describe('one apply converges', () => {
  it('one apply converges when re-enabling autoRecovery (retry 0) leaves a member that was down needing manual recovery', async () => {
    const emu = memoryWorld('planner-issue-1');
    const policy = { enabled: true, retry: 0, interval: 60 };
    const desired = fleet({ hsms: [hsm('hsm-0'), hsm('hsm-1')], hapgs: [hapg('hapg1', ['hsm-0', 'hsm-1'])], clients: [client('app-1', ['hapg1'], policy)] });
    expect((await applyPlan(await planFor(emu, desired), { driver: emu, desired })).outcome).toBe('complete');

    // By hand: autoRecovery off; then hsm-0 loses power and comes back. With autoRecovery off the
    // client keeps it down ("down": no automatic attempt will come), which the planner leaves alone.
    await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: false, retry: 0, interval: 60, haOnly: true } });
    const h0 = (await emu.describe()).hsms.find((h) => h.tags[NAME_TAG] === 'hsm-0')!;
    await emu.fail(h0.arn, 'power');
    await emu.restore(h0.arn);

    // The plan re-enables autoRecovery (drift) and recovers the member by hand: with retry 0 no
    // automatic attempt would ever bring it back.
    const plan = await planFor(emu, desired);
    expect(plan.actions.map((a) => a.kind).sort()).toEqual(['client.setAutoRecovery', 'hapg.recoverMember']);
    const result = await applyPlan(plan, { driver: emu, desired });
    expect(result.verification?.remaining?.actions.map((a) => a.id)).toEqual([]);
  });
});

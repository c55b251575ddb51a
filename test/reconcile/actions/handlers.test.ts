import { describe, expect, it } from 'vitest';
import { managedTags, NAME_TAG } from '../../../src/fleet/tags.js';
import { HANDLERS } from '../../../src/reconcile/actions/index.js';
import { applyPlan } from '../../../src/reconcile/apply/executor.js';
import type { ActionKind, ActionOf } from '../../../src/reconcile/plan/types.js';
import { fleet, hsm } from '../../fixtures/worlds/desired.js';
import { actionContext, memoryWorld, mutations, planFor, quickstartDesired, watched } from '../apply/world.js';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import type { DesiredFleet } from '../../../src/config/types.js';

/** Handler behaviour beyond "do it, or find it done": the cases where the world is not as planned. */

function action<K extends ActionKind>(kind: K, params: ActionOf<K>['params']): ActionOf<K> {
  return { id: `${kind}:x`, kind, address: 'hsm.x', resource: { type: 'hsm', name: 'x' }, change: 'create', dependsOn: [], destructive: false, reason: 'test', before: null, after: null, params } as unknown as ActionOf<K>;
}

async function converged(): Promise<{ emu: WorldEmulator; desired: DesiredFleet }> {
  const emu = memoryWorld();
  const desired = await quickstartDesired();
  await applyPlan(await planFor(emu, desired), { driver: emu, desired });
  return { emu, desired };
}

describe('action handlers', () => {
  it('hsm.create never adopts an HSM whose client token it finds on an unmanaged HSM', async () => {
    const emu = memoryWorld();
    const desired = fleet({ hsms: [hsm('hsm-a')] });
    const { hsmArn } = await emu.createHsm({ clientToken: 'hsmctl-hsm-a', availabilityZone: 'us-east-1a' });
    const create = action('hsm.create', { hsmName: 'hsm-a', availabilityZone: 'us-east-1a' });
    await expect(HANDLERS['hsm.create'].apply(create, actionContext(emu, desired))).rejects.toThrow(
      `create-hsm returned ${hsmArn} for client token hsmctl-hsm-a, an HSM hsmctl does not manage`,
    );
    expect((await emu.describe()).hsms).toHaveLength(1);
  });

  it('hsm.create finds a managed HSM made by an earlier run by its tags', async () => {
    const emu = memoryWorld();
    const desired = fleet({ hsms: [hsm('hsm-a')] });
    await emu.createHsm({ clientToken: 'some-other-token', availabilityZone: 'us-east-1a', tags: managedTags('hsm-a') });
    const create = action('hsm.create', { hsmName: 'hsm-a', availabilityZone: 'us-east-1a' });
    expect(await HANDLERS['hsm.create'].apply(create, actionContext(emu, desired))).toBe('unchanged (already there)');
    expect((await emu.describe()).hsms).toHaveLength(1);
  });

  it('hsm.initialize refuses to touch an HSM initialized otherwise than declared', async () => {
    const { emu, desired } = await converged();
    const arn = (await emu.describe()).hsms.find((h) => h.tags[NAME_TAG] === 'hsm-a')!.arn;
    const init = action('hsm.initialize', { hsmName: 'hsm-a', hsmArn: arn, label: 'another-label' });
    const { driver, calls } = watched(emu);
    await expect(HANDLERS['hsm.initialize'].apply(init, { ...actionContext(emu, desired), driver })).rejects.toThrow(/already initialized \(label hsm-a\) otherwise than declared/);
    expect(mutations(calls)).toEqual([]);
  });

  it('checks on an unreachable HSM fail instead of concluding that nothing is there', async () => {
    const { emu, desired } = await converged();
    const a = (await emu.describe()).hsms.find((h) => h.tags[NAME_TAG] === 'hsm-a')!;
    await emu.fail(a.arn, 'network');
    const deregister = action('hsm.deregisterClient', { hsmName: 'hsm-a', hsmArn: a.arn, host: a.eniIp, clientName: 'app-1' });
    await expect(HANDLERS['hsm.deregisterClient'].apply(deregister, actionContext(emu, desired))).rejects.toMatchObject({ code: 'LUNA_RET_DEVICE_ERROR', retryable: true });
    await emu.restore(a.arn);
    expect(await HANDLERS['hsm.deregisterClient'].apply(deregister, actionContext(emu, desired))).toBe('deregistered');
  });

  it('hsm.registerClient replaces a registration with another certificate and assigns its partitions again', async () => {
    const { emu, desired } = await converged();
    const a = (await emu.describe()).hsms.find((h) => h.tags[NAME_TAG] === 'hsm-a')!;
    const partitions = a.clients.find((c) => c.id === 'app-1')!.partitions;
    // The appliance holds app-1 with a certificate the instance no longer has.
    const { driver, calls } = watched(emu, async (call, proceed) => {
      const value = await proceed();
      if (call.method !== 'describe' || calls.filter((c) => c.method === 'describe').length > 1) return value;
      const world = value as Awaited<ReturnType<WorldEmulator['describe']>>;
      world.hsms.find((h) => h.arn === a.arn)!.clients.find((c) => c.id === 'app-1')!.certificateFingerprint = 'AA:BB';
      return world;
    });
    const register = action('hsm.registerClient', { hsmName: 'hsm-a', hsmArn: a.arn, host: a.eniIp, clientName: 'app-1', hostname: 'app-1' });
    expect(await HANDLERS['hsm.registerClient'].apply(register, { ...actionContext(emu, desired), driver, observe: () => driver.describe() })).toBe('registered');
    expect(mutations(calls).map((c) => c.method)).toEqual(['deleteClientOnHsm', 'registerClientOnHsm', ...partitions.map(() => 'assignPartition')]);
    const after = (await emu.describe()).hsms.find((h) => h.arn === a.arn)!;
    expect(after.clients.find((c) => c.id === 'app-1')?.partitions).toEqual(partitions);
    expect(partitions).toHaveLength(1);
  });
});

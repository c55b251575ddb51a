import { describe, expect, it } from 'vitest';
import type { DesiredFleet } from '../../src/config/types.js';
import { createEmulator, type WorldEmulator } from '../../src/emulator/index.js';
import { memoryStore } from '../../src/emulator/store/index.js';
import { observe } from '../../src/reconcile/observe.js';
import { plan } from '../../src/reconcile/plan/index.js';
import { fleetStatus } from '../../src/status/index.js';
import type { FleetStatus } from '../../src/status/index.js';
import { converge, desiredOf, SEED, T0 } from './converge.js';

/**
 * The health model on real emulated worlds: what is missing, what is out of sync and why, how
 * members fold over clients, and what status says without a configuration.
 */

function emulator(): WorldEmulator {
  return createEmulator(memoryStore(), { now: () => T0, seed: SEED });
}

async function statusOf(emu: WorldEmulator, desired: DesiredFleet | undefined): Promise<FleetStatus> {
  if (desired === undefined) return fleetStatus({ observed: await emu.describe(), unknownReason: 'no valid configuration' });
  const { observed, cloningDomainMismatch } = await observe(emu, desired);
  return fleetStatus({ observed, desired, plan: plan(desired, observed, { cloningDomainMismatch }) });
}

const quickstart = () => desiredOf('examples/quickstart');

async function arnOf(emu: WorldEmulator, name: string): Promise<string> {
  return (await emu.describe()).hsms.find((h) => h.tags['hsmctl:name'] === name)!.arn;
}

describe('status of the quickstart configuration', () => {
  it('in an empty world: everything declared is missing and the group is OutOfSync', async () => {
    const s = await statusOf(emulator(), await quickstart());
    expect(s.health).toEqual({
      status: 'Degraded',
      reasons: ['hapg hapg1 is Missing', 'hsm hsm-a is missing', 'hsm hsm-b is missing', 'client app-1 is missing'],
    });
    const [g] = s.hapgs;
    expect(g).toMatchObject({ label: 'hapg1', arn: null, health: 'Missing', sync: 'OutOfSync' });
    expect(g!.members.map((m) => [m.hsm, m.state])).toEqual([['hsm-a', 'missing'], ['hsm-b', 'missing']]);
    expect(g!.counts).toEqual({ alive: 0, down: 0, recovering: 0, needsManualRecovery: 0, missing: 2 });
    expect(g!.pendingActions).toContain('hapg.create:hapg1');
    expect(g!.pendingActions).toContain('hsm.create:hsm-a');
    expect(s.sync).toMatchObject({ status: 'OutOfSync', reasons: ['the plan has 17 actions'], planChanges: 17 });
  });

  it('converged: Healthy and Synced', async () => {
    const emu = emulator();
    await converge(emu, await quickstart());
    const s = await statusOf(emu, await quickstart());
    expect(s.health).toEqual({ status: 'Healthy', reasons: [] });
    expect(s.hapgs.map((g) => [g.label, g.health, g.sync, g.pendingActions])).toEqual([['hapg1', 'Healthy', 'Synced', []]]);
    expect(s.sync.status).toBe('Synced');
  });

  it('an assignment revoked by hand: the group is OutOfSync with the action that reverts it', async () => {
    const emu = emulator();
    await converge(emu, await quickstart());
    const fleet = await emu.describe();
    const member = fleet.hapgs[0]!.members[0]!;
    await emu.revokePartition({ hsmArn: member.hsmArn, clientName: 'app-1', partitionName: member.partitionName });
    const s = await statusOf(emu, await quickstart());
    expect(s.hapgs[0]).toMatchObject({ sync: 'OutOfSync', pendingActions: ['partition.assign:hsm-a.hapg1.app-1'] });
    expect(s.hapgs[0]!.members[0]!.state).not.toBe('alive');
    expect(s.health.status).toBe('Degraded');
  });

  it('a member past its retry limit needs manual recovery, which the plan holds', async () => {
    const desired = await quickstart();
    desired.clients[0]!.autoRecovery = { enabled: true, retry: 1, interval: 60 };
    const emu = emulator();
    await converge(emu, desired);
    await emu.fail('hsm-b', 'power');
    await emu.advance(150_000);
    await emu.restore('hsm-b');
    const s = await statusOf(emu, desired);
    expect(s.hapgs[0]!.counts).toMatchObject({ alive: 1, needsManualRecovery: 1 });
    expect(s.hapgs[0]!.pendingActions).toEqual(['hapg.recoverMember:app-1.hapg1.hsm-b']);
    expect(s.clients[0]!.members.find((m) => m.hsm === 'hsm-b')).toMatchObject({ state: 'needs-manual-recovery', attempts: 1 });
  });
});

describe('members over several clients', () => {
  it('take the worst state any client reports', async () => {
    const desired = await quickstart();
    const app1 = desired.clients[0]!;
    desired.clients.push({ ...app1, name: 'app-2', autoRecovery: { enabled: false, retry: 0, interval: 60 } });
    const emu = emulator();
    await converge(emu, desired);
    await emu.fail('hsm-a', 'network');
    await emu.advance(90_000);
    const s = await statusOf(emu, desired);
    const a = s.hapgs[0]!.members.find((m) => m.hsm === 'hsm-a')!;
    expect(a.clients.map((v) => [v.client, v.state])).toEqual([['app-1', 'recovering'], ['app-2', 'down']]);
    expect(a.state).toBe('down');
    expect(s.hapgs[0]!.counts).toMatchObject({ alive: 1, down: 1, recovering: 0 });
  });
});

describe('without a configuration', () => {
  it('shows health only, every sync Unknown, resources named by tag, label or short id', async () => {
    const emu = emulator();
    await converge(emu, await quickstart());
    const { hsmArn } = await emu.createHsm({ clientToken: 'by-hand', availabilityZone: 'us-east-1c' });
    await emu.createHapg({ label: 'manual-group' });
    const s = await statusOf(emu, undefined);
    expect(s.sync).toMatchObject({ status: 'Unknown', reasons: ['no valid configuration'], planChanges: null });
    expect(s.hapgs.map((g) => [g.label, g.sync, g.pendingActions, g.health])).toEqual([
      ['hapg1', 'Unknown', null, 'Healthy'],
      ['manual-group', 'Unknown', null, 'Degraded'],
    ]);
    const byHand = s.hsms.find((h) => h.arn === hsmArn)!;
    expect(byHand).toMatchObject({ name: hsmArn.slice(hsmArn.lastIndexOf(':') + 1), declared: false, managed: false, zeroized: true });
    expect(s.health.reasons).toEqual(['hapg manual-group is Degraded: 0 of 0 members alive']);
  });

  it('an unmanaged group beside a configuration is Unmanaged and does not make the fleet Degraded', async () => {
    const emu = emulator();
    await converge(emu, await quickstart());
    await emu.createHapg({ label: 'manual-group' });
    const s = await statusOf(emu, await quickstart());
    expect(s.hapgs.find((g) => g.label === 'manual-group')).toMatchObject({ sync: 'Unmanaged', health: 'Degraded' });
    expect(s.health.status).toBe('Healthy');
    expect(await arnOf(emu, 'hsm-a')).toBe(s.hsms[0]!.arn);
  });
});

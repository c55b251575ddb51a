import { describe, expect, it } from 'vitest';
import { expectRefusal, haFleet, handlesOn, memberStates, minutes, testWorld } from './fixtures.js';
import type { WorldEmulator } from '../../src/emulator/index.js';

const key = (emu: WorldEmulator, label: string) => emu.createKey({ clientName: 'app-1', hapgLabel: 'hapg1', label });

async function members(emu: WorldEmulator) {
  return (await emu.describe()).clients[0]?.haStatus[0]?.members ?? [];
}

describe('HA data plane', () => {
  it('load-balances requests across live members and mirrors every object to all of them', async () => {
    const { emu } = testWorld();
    const { hsmArns, serials, hapgArn } = await haFleet(emu, 3);
    const served: string[] = [];
    for (let i = 0; i < 6; i++) served.push((await key(emu, `k${i}`)).servedBy);
    expect(served).toEqual([...serials, ...serials]);
    for (const hsm of hsmArns) expect(await handlesOn(emu, hsm)).toEqual([1, 2, 3, 4, 5, 6]);
    const listed = await emu.listKeys(hapgArn);
    expect(listed.map((o) => o.label)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(listed[0]).toMatchObject({ keyType: 'AES', bits: 256, createdAt: '2024-01-15T09:00:00.000Z' });
    expect(listed[0]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const fleet = await emu.describe();
    expect(fleet.hsms.map((h) => h.partitions[0]?.objectCount)).toEqual([6, 6, 6]);
  });

  it('refuses a key through a group the client has not configured', async () => {
    const { emu } = testWorld();
    await haFleet(emu, 2);
    await expectRefusal(emu.createKey({ clientName: 'app-1', hapgLabel: 'nope', label: 'k' }), 'VTL_ERROR', 'get-client-configuration');
  });

  it('keeps serving while a member is down, and resynchronises it when autoRecovery brings it back', async () => {
    const { emu, wall } = testWorld();
    const { hsmArns, serials } = await haFleet(emu, 2, { retry: -1, interval: 60 });
    const [a = '', b = ''] = hsmArns;
    await key(emu, 'before');
    await emu.fail(b, 'power');
    expect(await memberStates(emu)).toEqual(['alive', 'recovering']);
    expect((await members(emu))[1]?.nextAttemptAt).toBe(new Date(wall.ms + minutes(1)).toISOString());
    const during = await key(emu, 'during');
    expect(during.servedBy).toBe(serials[0]);
    await emu.advance(minutes(2)); // two attempts fail while it is still down
    expect((await members(emu))[1]).toMatchObject({ state: 'recovering', attempts: 2 });
    await emu.restore(b);
    expect(await memberStates(emu)).toEqual(['alive', 'recovering']); // not before the next attempt
    await emu.advance(minutes(1));
    expect((await members(emu))[1]).toMatchObject({ state: 'alive', attempts: 0, nextAttemptAt: null });
    expect(await handlesOn(emu, b)).toEqual([1, 2]);
    expect(await handlesOn(emu, a)).toEqual([1, 2]);
  });

  it('recovers in real time too: the wall clock moving is enough', async () => {
    const { emu, wall } = testWorld();
    const { hsmArns } = await haFleet(emu, 2, { retry: -1, interval: 90 });
    await emu.fail(hsmArns[1] ?? '', 'network');
    await key(emu, 'missed');
    await emu.restore(hsmArns[1] ?? '');
    wall.ms += 90_000;
    expect(await memberStates(emu)).toEqual(['alive', 'alive']);
    expect(await handlesOn(emu, hsmArns[1] ?? '')).toEqual([1]);
  });

  it('after the retry limit only manual recovery brings a member back', async () => {
    const { emu } = testWorld();
    const { hsmArns, serials } = await haFleet(emu, 2, { retry: 3, interval: 60 });
    const b = hsmArns[1] ?? '';
    await emu.fail(b, 'power');
    await key(emu, 'missed');
    await emu.advance(minutes(3));
    expect((await members(emu))[1]).toMatchObject({ state: 'needs-manual-recovery', attempts: 3, nextAttemptAt: null });
    await emu.restore(b);
    await emu.advance(minutes(30));
    expect(await memberStates(emu)).toEqual(['alive', 'needs-manual-recovery']);
    await emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg1', hsmSerial: serials[1] ?? '' });
    expect(await memberStates(emu)).toEqual(['alive', 'alive']);
    expect(await handlesOn(emu, b)).toEqual([1]);
  });

  it('refuses manual recovery of a member that is still unreachable', async () => {
    const { emu } = testWorld();
    const { hsmArns, serials } = await haFleet(emu, 2);
    await emu.fail(hsmArns[1] ?? '', 'power');
    await expectRefusal(emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg1', hsmSerial: serials[1] ?? '' }), 'VTL_ERROR', 'not reachable');
    await expectRefusal(emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg1', hsmSerial: '999999' }), 'VTL_ERROR', 'not a member');
    await expectRefusal(emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg9', hsmSerial: serials[1] ?? '' }), 'VTL_ERROR', 'no HA group');
  });

  it.each([
    { name: 'a group of one member, even with autoRecovery', members: 1, autoRecovery: { retry: -1, interval: 60 } },
    { name: 'autoRecovery disabled', members: 2, autoRecovery: undefined },
  ])('does not recover automatically with $name', async ({ members: count, autoRecovery }) => {
    const { emu } = testWorld();
    const { hsmArns, serials } = await haFleet(emu, count, autoRecovery);
    const last = hsmArns[count - 1] ?? '';
    await emu.fail(last, 'power');
    await emu.restore(last);
    await emu.advance(minutes(60));
    expect((await memberStates(emu)).at(-1)).toBe('down');
    expect((await members(emu)).at(-1)?.nextAttemptAt).toBeNull();
    if (count === 1) await expectRefusal(key(emu, 'k'), 'LUNA_RET_DEVICE_ERROR', 'no member of HA group hapg1');
    await emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg1', hsmSerial: serials[count - 1] ?? '' });
    expect((await memberStates(emu)).at(-1)).toBe('alive');
    await key(emu, 'k');
  });

  it('does not recover automatically a member that was not connected at startup', async () => {
    const { emu } = testWorld();
    const { hsmArns, clientArn, hapgArn } = await haFleet(emu, 2, { retry: -1, interval: 60 });
    await emu.fail(hsmArns[1] ?? '', 'network');
    await emu.getClientConfiguration({ clientArn, hapgArns: [hapgArn] }); // the client restarts without it
    expect((await members(emu))[1]).toMatchObject({ state: 'down', connectedAtStartup: false });
    await emu.restore(hsmArns[1] ?? '');
    await emu.advance(minutes(10));
    expect(await memberStates(emu)).toEqual(['alive', 'down']);
  });

  it('with every member failed nothing recovers until one is recovered by hand', async () => {
    const { emu } = testWorld();
    const { hsmArns, serials } = await haFleet(emu, 2, { retry: -1, interval: 60 });
    for (const hsm of hsmArns) await emu.fail(hsm, 'power');
    await expectRefusal(key(emu, 'k'), 'LUNA_RET_DEVICE_ERROR');
    for (const hsm of hsmArns) await emu.restore(hsm);
    await emu.advance(minutes(5));
    expect(await memberStates(emu)).toEqual(['recovering', 'recovering']);
    await emu.recoverMember({ clientName: 'app-1', hapgLabel: 'hapg1', hsmSerial: serials[0] ?? '' });
    await emu.advance(minutes(1));
    expect(await memberStates(emu)).toEqual(['alive', 'alive']);
  });

  it('retry 0 means no automatic attempt at all', async () => {
    const { emu } = testWorld();
    const { hsmArns } = await haFleet(emu, 2, { retry: 0, interval: 60 });
    await emu.fail(hsmArns[1] ?? '', 'power');
    expect((await members(emu))[1]).toMatchObject({ state: 'needs-manual-recovery', attempts: 0 });
  });

  it('a broken Network Trust Link takes a member out of rotation; mending it lets recovery resync it', async () => {
    const { emu } = testWorld();
    const { hsmArns, serials } = await haFleet(emu, 2, { retry: -1, interval: 60 });
    const b = hsmArns[1] ?? '';
    const partitionName = (await emu.describe()).hapgs[0]?.members[1]?.partitionName ?? '';
    await emu.revokePartition({ hsmArn: b, clientName: 'app-1', partitionName });
    expect(await memberStates(emu)).toEqual(['alive', 'recovering']);
    expect((await key(emu, 'k')).servedBy).toBe(serials[0]);
    expect(await handlesOn(emu, b)).toEqual([]);
    await emu.assignPartition({ hsmArn: b, clientName: 'app-1', partitionName });
    await emu.advance(minutes(1));
    expect(await handlesOn(emu, b)).toEqual([1]);
  });

  it('enabling autoRecovery while a member is down schedules attempts from then on', async () => {
    const { emu } = testWorld();
    const { hsmArns } = await haFleet(emu, 2);
    await emu.fail(hsmArns[1] ?? '', 'power');
    await emu.restore(hsmArns[1] ?? '');
    expect(await memberStates(emu)).toEqual(['alive', 'down']);
    await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: true, retry: 2, interval: 120, haOnly: true } });
    expect(await memberStates(emu)).toEqual(['alive', 'recovering']);
    await emu.advance(minutes(2));
    expect(await memberStates(emu)).toEqual(['alive', 'alive']);
  });
});

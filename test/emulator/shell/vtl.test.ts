import { beforeEach, describe, expect, it } from 'vitest';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import { runVtl } from '../../../src/emulator/shell/vtl/index.js';
import { ok, refused, seedFleet, shellWorld, snapshot, type SeededFleet } from './world.js';

describe('vtl on an emulated client instance', () => {
  let emu: WorldEmulator;
  let wall: { ms: number };
  let fleet: SeededFleet;
  const vtl = (...argv: string[]) => runVtl(emu, 'app-1', argv);
  const client = async (name = 'app-1') => (await emu.describe()).clients.find((c) => c.name === name);

  beforeEach(async () => {
    ({ emu, wall } = shellWorld());
    fleet = await seedFleet(emu);
  });

  it('createCert makes a new instance and its certificate', async () => {
    const out = ok(await runVtl(emu, 'app-2', ['createCert', '-n', 'app-2']));
    expect(out).toContain('Private Key created and written to: /usr/safenet/lunaclient/cert/client/app-2Key.pem');
    expect(out).toContain('Certificate created and written to: /usr/safenet/lunaclient/cert/client/app-2.pem');
    expect((await client('app-2'))?.certificateFingerprint).toMatch(/\S/);
  });

  it('listServers, deleteServer and addServer keep the trusted server list', async () => {
    expect(ok(await vtl('listServers'))).toBe(`Server: ${fleet.a.eniIp}  HTL required: no\nServer: ${fleet.b.eniIp}  HTL required: no\n`);
    expect(ok(await vtl('deleteServer', '-n', fleet.b.eniIp))).toBe(`Server ${fleet.b.eniIp} successfully removed from server list.\n`);
    expect((await client())?.servers.map((s) => s.host)).toEqual([fleet.a.eniIp]);
    expect(ok(await vtl('addServer', '-n', fleet.b.eniIp, '-c', 'server.pem'))).toBe(`New server ${fleet.b.eniIp} successfully added to server list.\n`);
    expect((await client())?.servers.map((s) => s.host)).toEqual([fleet.a.eniIp, fleet.b.eniIp]);
  });

  it('matches command names in any case and accepts typographic dashes', async () => {
    expect(ok(await vtl('listservers'))).toContain(fleet.a.eniIp);
    ok(await vtl('haAdmin', '\u2013autoRecovery', '\u2013retry', '5', '\u2013interval', '120'));
    expect((await client())?.ha).toMatchObject({ autoRecovery: true, retry: 5, interval: 120 });
  });

  it('verify lists the partition slots reachable over working trust links', async () => {
    const out = ok(await vtl('verify'));
    expect(out).toContain('The following Luna SA Slots/Partitions were found:');
    expect(out).toMatch(new RegExp(`^1 +${fleet.a.serial}001 +${fleet.partitionA}$`, 'm'));
    expect(out).toMatch(new RegExp(`^2 +${fleet.b.serial}001 +${fleet.partitionB}$`, 'm'));
  });

  it('listSlots shows the HA virtual slot only while Only Show HA Slots is on', async () => {
    const haOnly = ok(await vtl('listSlots'));
    expect(haOnly).toContain('Number of slots: 1');
    expect(haOnly).toMatch(/slot #1 +HA Virtual Card Slot +hapg1 +1\d+ +Present/);
    ok(await vtl('haAdmin', '-HAOnly', '-disable'));
    const all = ok(await vtl('listSlots'));
    expect(all).toContain('Number of slots: 3');
    expect(all).toContain(`LunaNet Slot         ${fleet.partitionA}`);
  });

  it('haAdmin show prints the global settings and each group with its members', async () => {
    const out = ok(await vtl('haAdmin', 'show'));
    for (const line of ['HA Auto Recovery: enabled', 'Maximum Auto Recovery Retry: 3', 'Auto Recovery Poll Interval: 90 seconds', 'Only Show HA Slots: yes', 'HA Group Label: hapg1', 'Synchronization: enabled']) {
      expect(out).toContain(line);
    }
    expect(out).toContain(`HA Group Number: 1${fleet.a.serial}001`);
    expect(out).toMatch(new RegExp(`1 +${fleet.a.serial}001 +${fleet.partitionA} +alive +0`));
    await expect(out).toMatchFileSnapshot('__golden__/vtl-haadmin-show.txt');
  });

  it('haAdmin show after a failure and a few poll intervals shows the recovery attempts', async () => {
    await emu.fail(fleet.b.arn, 'power');
    await emu.advance(200_000);
    const out = ok(await vtl('haAdmin', '-show'));
    expect(out).toMatch(new RegExp(`- +${fleet.b.serial}001 +${fleet.partitionB} +(down|recovering) +2 \\(next `));
    await emu.advance(600_000);
    expect(ok(await vtl('haAdmin', 'show'))).toMatch(new RegExp(`${fleet.b.serial}001 +${fleet.partitionB} +down \\(retries exhausted; recover manually\\) +3`));
    await emu.restore(fleet.b.arn);
    wall.ms += 1000;
    const recovered = ok(await vtl('haAdmin', '-recover', '-group', 'hapg1', '-serial', fleet.b.serial));
    expect(recovered).toContain(`Member ${fleet.b.serial} of HA group hapg1`);
    expect(ok(await vtl('haAdmin', 'show'))).toMatch(new RegExp(`2 +${fleet.b.serial}001 +${fleet.partitionB} +alive`));
  });

  it('haAdmin -autoRecovery -disable and -HAOnly -enable change the settings', async () => {
    expect(ok(await vtl('haAdmin', '-autoRecovery', '-disable'))).toContain('HA Auto Recovery: disabled');
    expect((await client())?.ha).toMatchObject({ autoRecovery: false, retry: 3, interval: 90 });
    ok(await vtl('haAdmin', 'autoRecovery', '-retry', '-1'));
    expect((await client())?.ha).toMatchObject({ autoRecovery: true, retry: -1, interval: 90 });
    ok(await vtl('haAdmin', '-HAOnly', '-enable'));
    expect((await client())?.ha.haOnly).toBe(true);
  });

  it('haAdmin recover with every member alive has nothing to do', async () => {
    expect(ok(await vtl('haAdmin', 'recover', '-group', 'hapg1'))).toContain('All members of HA group hapg1 are alive');
  });

  const refusals: Array<{ name: string; argv: (f: SeededFleet) => string[]; error: string }> = [
    { name: 'an unknown command', argv: () => ['frob'], error: 'Error: Unknown command "frob".' },
    { name: 'createCert for another name', argv: () => ['createCert', '-n', 'app-9'], error: 'This instance is app-1' },
    { name: 'createCert without -n', argv: () => ['createCert'], error: 'Missing required option: -n' },
    { name: 'addServer of a server already trusted', argv: (f) => ['addServer', '-n', f.a.eniIp, '-c', 'server.pem'], error: 'is already in the server list' },
    { name: 'addServer of an address no appliance has', argv: () => ['addServer', '-n', '10.9.9.9', '-c', 'server.pem'], error: 'Unable to add server 10.9.9.9' },
    { name: 'addServer without -c', argv: (f) => ['addServer', '-n', f.a.eniIp], error: 'Missing required option: -c' },
    { name: 'deleteServer of an unknown server', argv: () => ['deleteServer', '-n', '10.9.9.9'], error: 'Server 10.9.9.9 is not in the server list.' },
    { name: 'a retry count out of range', argv: () => ['haAdmin', '-autoRecovery', '-retry', '501'], error: 'Invalid retry count' },
    { name: 'an interval out of range', argv: () => ['haAdmin', '-autoRecovery', '-retry', '3', '-interval', '30'], error: 'Invalid poll interval' },
    { name: 'a retry count that is not a number', argv: () => ['haAdmin', '-autoRecovery', '-retry', 'many'], error: 'must be a whole number' },
    { name: 'autoRecovery with nothing to set', argv: () => ['haAdmin', '-autoRecovery'], error: 'Give -retry' },
    { name: 'an unknown haAdmin action', argv: () => ['haAdmin', '-frob'], error: 'Unknown haAdmin action.' },
    { name: 'recover of an unknown group', argv: () => ['haAdmin', '-recover', '-group', 'nope'], error: 'HA group nope was not found' },
    { name: 'recover of a member that is alive', argv: (f) => ['haAdmin', '-recover', '-group', 'hapg1', '-serial', f.a.serial], error: 'is alive; there is nothing to recover' },
    { name: 'recover of a serial that is not a member', argv: () => ['haAdmin', '-recover', '-group', 'hapg1', '-serial', '999'], error: '999 is not a member of HA group hapg1' },
  ];

  it.each(refusals)('refuses $name with exit 1 and the world unchanged', async ({ argv, error }) => {
    const before = await snapshot(emu);
    expect(refused(await vtl(...argv(fleet)))).toContain(error);
    expect(await snapshot(emu)).toEqual(before);
  });

  it('refuses an instance that does not exist, and verify on an instance without certificate links', async () => {
    expect(refused(await runVtl(emu, 'ghost', ['listServers']))).toContain('there is no client instance "ghost"');
    await emu.createCert('app-3');
    expect(refused(await runVtl(emu, 'app-3', ['verify']))).toContain('Unable to find any Luna SA slots/partitions');
  });

  it('manual recovery of a member that is still down is refused in the device words', async () => {
    await emu.fail(fleet.b.arn, 'network');
    expect(refused(await vtl('haAdmin', '-recover', '-group', 'hapg1', '-serial', fleet.b.serial))).toMatch(/^Error: recovery of member .* not reachable/);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import { runLunash } from '../../../src/emulator/shell/lunash/index.js';
import { DOMAIN, expectNoSecrets, hsmOf, ok, PARTITION_PW, seedFleet, shellWorld, SO, type SeededFleet } from './world.js';

const SUCCESS = 'Command Result : 0 (Success)';

describe('lunash on an emulated appliance', () => {
  let emu: WorldEmulator;
  let fleet: SeededFleet;
  const lunash = (...argv: string[]) => runLunash(emu, 'hsm-a', argv);

  beforeEach(async () => {
    emu = shellWorld().emu;
    fleet = await seedFleet(emu);
  });

  it('hsm show reports label, serial, firmware, attempts left and partitions as the appliance does', async () => {
    const out = ok(await lunash('hsm', 'show'));
    expect(out).toMatch(/HSM Label: +prod-a\n/);
    expect(out).toMatch(new RegExp(`Serial #: +${fleet.a.serial}\\n`));
    expect(out).toMatch(/Firmware: +6\.10\.2\n/);
    expect(out).toMatch(/HSM Admin login attempts left: +3 before HSM zeroization!\n/);
    expect(out).toContain(`Partition: ${fleet.a.serial}001,     Name: ${fleet.partitionA}`);
    expect(out.trimEnd().endsWith(SUCCESS)).toBe(true);
    await expect(out).toMatchFileSnapshot('__golden__/lunash-hsm-show.txt');
  });

  it('partition list, client list, client show and client fingerprint answer in lunash words', async () => {
    const partitions = ok(await lunash('partition', 'list'));
    expect(partitions).toMatch(new RegExp(`${fleet.a.serial}001 +${fleet.partitionA} +0 +102701 +0 +102701`));
    await expect(partitions).toMatchFileSnapshot('__golden__/lunash-partition-list.txt');
    expect(ok(await lunash('client', 'list'))).toContain('registered client 1: app-1');
    for (const flag of ['-client', '-c', '-CLIENT']) {
      const show = ok(await lunash('client', 'show', flag, 'app-1'));
      expect(show).toContain('ClientID:     app-1');
      expect(show).toContain(`Partitions:   "${fleet.partitionA}"`);
    }
    const fingerprint = ok(await lunash('client', 'fingerprint', '-c', 'app-1'));
    expect(fingerprint).toMatch(/Certificate fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}\n/);
  });

  it('accepts command words in any case and unique prefixes (par li, client assignpartition)', async () => {
    expect(ok(await lunash('par', 'li'))).toContain(fleet.partitionA);
    expect(ok(await lunash('CLIENT', 'LIST'))).toContain('registered client 1: app-1');
  });

  it('keeps an hsm login for the rest of a session separated by ";"', async () => {
    const out = ok(await lunash('hsm', 'login', '-password', SO, ';', 'partition', 'create', '-partition', 'p1', '-password', PARTITION_PW, '-domain', DOMAIN, '-f', ';', 'hsm', 'show'));
    expect(out).toContain("'hsm login' successful.");
    expect(out).toContain("'partition create' successful.");
    expect(out).toMatch(/HSM Admin login status: +Logged In/);
    expect(out.split(SUCCESS)).toHaveLength(4);
    expectNoSecrets(out);
    const hsm = hsmOf(await emu.describe(), 'hsm-a');
    expect(hsm.partitions.map((p) => p.name)).toEqual([fleet.partitionA, 'p1']);
  });

  it('reads a whole session given as one quoted line', async () => {
    const out = ok(await lunash(`hsm login -password '${SO}' ; partition create -partition p2 -password x1 -domain "${DOMAIN}"`));
    expect(out).toContain("'partition create' successful.");
    expect(hsmOf(await emu.describe(), 'hsm-a').partitions.some((p) => p.name === 'p2')).toBe(true);
  });

  it('deletes a partition after a login, with -force', async () => {
    ok(await lunash('hsm', 'login', '-password', SO, ';', 'partition', 'create', '-partition', 'p1', '-password', 'x', '-domain', DOMAIN));
    ok(await lunash('hsm', 'login', '-password', SO, ';', 'partition', 'delete', '-partition', 'p1', '-force'));
    expect(hsmOf(await emu.describe(), 'hsm-a').partitions.map((p) => p.name)).toEqual([fleet.partitionA]);
  });

  it('revokes a partition out of band, and client show sees it at once', async () => {
    const out = ok(await lunash('client', 'revokePartition', '-client', 'app-1', '-partition', fleet.partitionA, ';', 'client', 'show', '-c', 'app-1'));
    expect(out).toContain("'client revokePartition' successful.");
    expect(out).toContain('Partitions:   <none>');
    const registered = hsmOf(await emu.describe(), 'hsm-a').clients.find((c) => c.id === 'app-1');
    expect(registered?.partitions).toEqual([]);
    ok(await lunash('client', 'assignPartition', '-client', 'app-1', '-partition', fleet.partitionA));
    expect(ok(await lunash('client', 'show', '-c', 'app-1'))).toContain(`Partitions:   "${fleet.partitionA}"`);
  });

  it('registers and deletes a client on the appliance', async () => {
    await emu.createCert('app-2');
    ok(await lunash('client', 'register', '-client', 'app-2', '-hostname', 'app-2.example'));
    expect(ok(await lunash('client', 'show', '-client', 'app-2'))).toContain('Hostname:     app-2.example');
    ok(await lunash('client', 'delete', '-client', 'app-2', '-force'));
    expect(ok(await lunash('client', 'list'))).not.toContain('app-2');
  });

  it('zeroizes with -force, then hsm init brings the appliance back with a new label', async () => {
    expect(ok(await lunash('hsm', 'zeroize', '-force'))).toContain("'hsm zeroize' successful.");
    const zeroized = ok(await lunash('hsm', 'show'));
    expect(zeroized).toMatch(/HSM Label: +no label/);
    expect(zeroized).toContain('HSM IS ZEROIZED');
    expect(zeroized).toContain('There are no partitions.');
    const init = ok(await lunash('hsm', 'init', '-label', 'fresh', '-domain', DOMAIN, '-password', SO, '-f'));
    expect(init).toContain("'hsm init' successful.");
    expectNoSecrets(init);
    const hsm = hsmOf(await emu.describe(), 'hsm-a');
    expect([hsm.zeroized, hsm.label]).toEqual([false, 'fresh']);
  });

  it('lists its commands for help', async () => {
    const out = ok(await lunash('help'));
    expect(out).toContain('client revokePartition -client <client name> -partition <partition name>');
    expect(out).toContain('hsm login -password <password>');
  });

  it('finds the appliance by ARN, short id, serial, name tag or label', async () => {
    for (const ref of [fleet.a.arn, fleet.a.arn.split(':').pop() ?? '', fleet.a.serial, 'hsm-a', 'prod-a']) {
      expect(ok(await runLunash(emu, ref, ['hsm', 'show']))).toMatch(/HSM Label: +prod-a/);
    }
  });
});

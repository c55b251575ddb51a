import { describe, expect, it } from 'vitest';
import { expectRefusal, haFleet, testWorld } from './fixtures.js';

describe('vtl', () => {
  it('createCert makes a PEM certificate once and returns its fingerprint again', async () => {
    const { emu } = testWorld();
    const first = await emu.createCert('app-1');
    const again = await emu.createCert('app-1');
    expect(again).toEqual(first);
    expect(first.certificateFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const fleet = await emu.describe();
    expect(fleet.clients).toEqual([
      expect.objectContaining({ name: 'app-1', arn: null, certificateFingerprint: first.certificateFingerprint, servers: [], configuration: null }),
    ]);
    expect(fleet.clients[0]?.ha).toEqual({ autoRecovery: false, retry: 0, interval: 60, haOnly: true });
  });

  it('refuses an invalid client name and vtl commands on an unknown instance', async () => {
    const { emu } = testWorld();
    await expectRefusal(emu.createCert('bad name'), 'VTL_ERROR', 'Invalid client name');
    await expectRefusal(emu.deleteServer({ clientName: 'ghost', host: '10.0.1.10' }), 'ResourceNotFound');
  });

  it('addServer trusts the HSM server certificate; deleteServer removes it; both rewrite a written Chrystoki.conf', async () => {
    const { emu } = testWorld();
    const { hsmArns, clientArn, hapgArn } = await haFleet(emu, 2);
    const [a = '', b = ''] = hsmArns;
    let fleet = await emu.describe();
    const ipB = fleet.hsms[1]?.eniIp ?? '';
    await emu.deleteServer({ clientName: 'app-1', host: ipB });
    fleet = await emu.describe();
    expect(fleet.clients[0]?.servers.map((s) => s.host)).toEqual([fleet.hsms[0]?.eniIp]);
    expect(fleet.clients[0]?.configuration?.chrystokiConf).not.toContain(ipB);
    expect(fleet.clients[0]?.configuration?.caFile.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    await expectRefusal(emu.deleteServer({ clientName: 'app-1', host: ipB }), 'VTL_ERROR', 'not in the server list');
    await emu.addServer({ clientName: 'app-1', hsmArn: b });
    await expectRefusal(emu.addServer({ clientName: 'app-1', hsmArn: a }), 'VTL_ERROR', 'already in the server list');
    fleet = await emu.describe();
    expect(fleet.clients[0]?.servers).toEqual(fleet.hsms.map((h) => ({ host: h.eniIp, serverCertificateFingerprint: h.serverCertificateFingerprint })));
    expect(fleet.clients[0]?.configuration?.chrystokiConf).toContain(`ServerName01 = ${ipB};`);
    const { configFile } = await emu.getClientConfiguration({ clientArn, hapgArns: [hapgArn] });
    expect(fleet.clients[0]?.configuration?.chrystokiConf).toBe(configFile);
  });

  it('setHaSettings stores the settings and rewrites HAConfiguration', async () => {
    const { emu } = testWorld();
    await haFleet(emu, 2);
    await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: true, retry: 10, interval: 120, haOnly: true } });
    const client = (await emu.describe()).clients[0];
    expect(client?.ha).toEqual({ autoRecovery: true, retry: 10, interval: 120, haOnly: true });
    expect(client?.configuration?.chrystokiConf).toContain('   reconnAtt = 10;\n   AutoReconnectInterval = 120;\n');
    await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: false, retry: 10, interval: 120, haOnly: true } });
    expect((await emu.describe()).clients[0]?.configuration?.chrystokiConf).toContain('   reconnAtt = 0;\n');
  });

  it.each([
    { retry: -2, interval: 60, message: 'invalid retry count -2' },
    { retry: 501, interval: 60, message: 'invalid retry count 501' },
    { retry: 1.5, interval: 60, message: 'invalid retry count' },
    { retry: 3, interval: 59, message: 'invalid interval 59' },
    { retry: 3, interval: 1201, message: 'invalid interval 1201' },
  ])('setHaSettings refuses retry $retry / interval $interval', async ({ retry, interval, message }) => {
    const { emu } = testWorld();
    await emu.createCert('app-1');
    await expectRefusal(emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: true, retry, interval, haOnly: true } }), 'VTL_ERROR', message);
    expect((await emu.describe()).clients[0]?.ha.autoRecovery).toBe(false);
  });

  it.each([
    { retry: -1, interval: 60 },
    { retry: 0, interval: 60 },
    { retry: 500, interval: 1200 },
  ])('setHaSettings accepts retry $retry / interval $interval', async ({ retry, interval }) => {
    const { emu } = testWorld();
    await emu.createCert('app-1');
    await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: true, retry, interval, haOnly: true } });
    expect((await emu.describe()).clients[0]?.ha).toMatchObject({ retry, interval });
  });
});

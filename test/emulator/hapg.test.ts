import { describe, expect, it } from 'vitest';
import { CLONING_DOMAIN, PARTITION_PASSWORD, SO_PASSWORD, expectRefusal, haFleet, handlesOn, initializedHsm, testWorld } from './fixtures.js';
import type { WorldEmulator } from '../../src/emulator/index.js';

const member = (hsmArn: string, hapgArn: string, overrides: Partial<{ cloningDomain: string; partitionPassword: string; soPassword: string }> = {}) => ({
  hsmArn,
  hapgArn,
  cloningDomain: CLONING_DOMAIN,
  partitionPassword: PARTITION_PASSWORD,
  soPassword: SO_PASSWORD,
  ...overrides,
});

async function keys(emu: WorldEmulator, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await emu.createKey({ clientName: 'app-1', hapgLabel: 'hapg1', label: `key-${i}` });
}

describe('HA partition groups', () => {
  it('adds members: partition <hapg-id>_<serial> with serial+3 digits, group serial 1+first partition serial', async () => {
    const { emu } = testWorld();
    const a = await initializedHsm(emu, 'hsm-a');
    const b = await initializedHsm(emu, 'hsm-b', 'us-east-1b');
    const { hapgArn } = await emu.createHapg({ label: 'hapg1', tags: { team: 'x' } });
    const first = await emu.addHsmToHapg(member(a, hapgArn));
    await emu.addHsmToHapg(member(b, hapgArn));
    const fleet = await emu.describe();
    const [hsmA] = fleet.hsms;
    const hapgId = hapgArn.split(':').pop();
    expect(hapgArn).toMatch(/:hapg-[0-9a-f]{8}$/);
    expect(first).toEqual({ partitionName: `${hapgId}_${hsmA?.serial}`, partitionSerial: `${hsmA?.serial}001` });
    expect(fleet.hapgs[0]).toMatchObject({ label: 'hapg1', state: 'READY', serial: `1${first.partitionSerial}`, tags: { team: 'x' } });
    expect(fleet.hapgs[0]?.members.map((m) => m.hsmArn)).toEqual([a, b]);
    expect(fleet.hsms.map((h) => h.partitions[0]?.name)).toEqual(fleet.hapgs[0]?.members.map((m) => m.partitionName));
  });

  it('is idempotent for an existing partition of the group label (no SO login needed)', async () => {
    const { emu } = testWorld();
    const a = await initializedHsm(emu, 'hsm-a');
    const { hapgArn } = await emu.createHapg({ label: 'hapg1' });
    const first = await emu.addHsmToHapg(member(a, hapgArn));
    await emu.removeHsmFromHapg({ hsmArn: a, hapgArn });
    const hsmSerial = (await emu.describe()).hsms[0]?.serial ?? '';
    const partitionName = `${hapgArn.split(':').pop()}_${hsmSerial}`;
    const made = await emu.createPartition({ hsmArn: a, partitionName, partitionPassword: PARTITION_PASSWORD, cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD });
    const again = await emu.addHsmToHapg(member(a, hapgArn, { soPassword: 'not-needed' }));
    expect(again).toEqual({ partitionName: first.partitionName, partitionSerial: made.partitionSerial });
    expect((await emu.describe()).hsms[0]?.soLoginAttemptsLeft).toBe(3);
  });

  it.each([
    { name: 'a zeroized HSM', message: 'is zeroized', setup: async (emu: WorldEmulator) => (await emu.createHsm({ clientToken: 'z', availabilityZone: 'us-east-1a' })).hsmArn, input: {} },
    { name: 'an HSM with another cloning domain', message: 'cloning domain', setup: (emu: WorldEmulator) => initializedHsm(emu, 'other', 'us-east-1a', 'another-domain'), input: { cloningDomain: 'another-domain' } },
    { name: 'a cloning domain that is not the HSM\'s', message: 'does not match', setup: (emu: WorldEmulator) => initializedHsm(emu, 'c'), input: { cloningDomain: 'guess' } },
    { name: 'another partition password', message: 'partition password', setup: (emu: WorldEmulator) => initializedHsm(emu, 'c'), input: { partitionPassword: 'different' } },
  ])('refuses $name', async ({ setup, input, message }) => {
    const { emu } = testWorld();
    const { hapgArn } = await emu.createHapg({ label: 'hapg1' });
    await emu.addHsmToHapg(member(await initializedHsm(emu, 'first'), hapgArn));
    const candidate = await setup(emu);
    await expectRefusal(emu.addHsmToHapg(member(candidate, hapgArn, input)), 'InvalidRequestException', message);
    expect((await emu.describe()).hapgs[0]?.members).toHaveLength(1);
  });

  it('refuses an HSM already in the group and a 17th member', async () => {
    const { emu } = testWorld();
    const { hapgArn } = await emu.createHapg({ label: 'big' });
    const arns: string[] = [];
    for (let i = 0; i < 17; i++) arns.push(await initializedHsm(emu, `h${i}`));
    for (const arn of arns.slice(0, 16)) await emu.addHsmToHapg(member(arn, hapgArn));
    await expectRefusal(emu.addHsmToHapg(member(arns[0] ?? '', hapgArn)), 'InvalidRequestException', 'already a member');
    await expectRefusal(emu.addHsmToHapg(member(arns[16] ?? '', hapgArn)), 'InvalidRequestException', '16 members');
    expect((await emu.describe()).hapgs[0]?.members).toHaveLength(16);
  });

  it('takes back, in place, a member that lost its partition to a zeroization', async () => {
    const { emu } = testWorld();
    const fleet = await haFleet(emu, 2);
    await keys(emu, 2);
    const [a = '', b = ''] = fleet.hsmArns;
    await emu.zeroizeHsm(b);
    expect((await emu.describe()).hapgs[0]?.state).toBe('DEGRADED');
    await emu.initializeHsm({ hsmArn: b, label: 'hsm-1', cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD });
    const again = await emu.addHsmToHapg(member(b, fleet.hapgArn));
    const hapg = (await emu.describe()).hapgs[0];
    expect(hapg?.members.map((m) => m.hsmArn)).toEqual([a, b]);
    expect(hapg?.members[1]?.partitionSerial).toBe(again.partitionSerial);
    expect(hapg?.state).toBe('READY');
    expect(await handlesOn(emu, b)).toEqual([1, 2]);
  });

  it('clones the group\'s objects onto a new member', async () => {
    const { emu } = testWorld();
    const fleet = await haFleet(emu, 2);
    await keys(emu, 3);
    const c = await initializedHsm(emu, 'hsm-c', 'us-east-1c');
    await emu.addHsmToHapg(member(c, fleet.hapgArn));
    expect(await handlesOn(emu, c)).toEqual([1, 2, 3]);
  });

  it('remove-hsm-from-hapg deletes the member partition and its objects; delete-hapg keeps key material', async () => {
    const { emu } = testWorld();
    const { hsmArns, hapgArn, clientArn } = await haFleet(emu, 2);
    await keys(emu, 2);
    const [a = '', b = ''] = hsmArns;
    await emu.removeHsmFromHapg({ hsmArn: a, hapgArn });
    expect((await emu.describe()).hsms[0]?.partitions).toEqual([]);
    await expectRefusal(emu.removeHsmFromHapg({ hsmArn: a, hapgArn }), 'InvalidRequestException', 'not a member');
    await emu.deleteHapg(hapgArn);
    const fleet = await emu.describe();
    expect(fleet.hapgs).toEqual([]);
    expect(fleet.clients[0]?.hapgArns).toEqual([]);
    expect(await handlesOn(emu, b)).toEqual([1, 2]);
    await emu.deleteClient(clientArn);
  });

  it('reports a group with an unreachable member as DEGRADED', async () => {
    const { emu } = testWorld();
    const { hsmArns } = await haFleet(emu, 2);
    await emu.fail(hsmArns[1] ?? '', 'network');
    expect((await emu.describe()).hapgs[0]?.state).toBe('DEGRADED');
  });
});

describe('clients', () => {
  it('create-client needs the instance certificate and is not repeated', async () => {
    const { emu } = testWorld();
    await expectRefusal(emu.createClient({ name: 'app-1' }), 'ResourceNotFound');
    await emu.createCert('app-1');
    const { clientArn } = await emu.createClient({ name: 'app-1', tags: { a: 'b' } });
    expect(clientArn).toMatch(/^arn:aws:cloudhsm:us-east-1:\d{12}:client-[0-9a-f]{8}$/);
    await expectRefusal(emu.createClient({ name: 'app-1' }), 'InvalidRequestException', 'already exists');
  });

  it('register-client-to-hapg registers and assigns on every member, idempotently', async () => {
    const { emu } = testWorld();
    const { hsmArns, hapgArn, clientArn } = await haFleet(emu, 2);
    await emu.registerClientToHapg({ clientArn, hapgArn });
    const fleet = await emu.describe();
    expect(fleet.hapgs[0]?.registeredClientArns).toEqual([clientArn]);
    expect(fleet.clients[0]?.hapgArns).toEqual([hapgArn]);
    for (const [i, hsm] of fleet.hsms.entries()) {
      expect(hsm.arn).toBe(hsmArns[i]);
      expect(hsm.clients).toEqual([expect.objectContaining({ id: 'app-1', partitions: [fleet.hapgs[0]?.members[i]?.partitionName] })]);
    }
  });

  it('delete-client is refused while registered; deregistering revokes and removes the client from HSMs without partitions', async () => {
    const { emu } = testWorld();
    const { hsmArns, hapgArn, clientArn } = await haFleet(emu, 2);
    const [a = ''] = hsmArns;
    await emu.createPartition({ hsmArn: a, partitionName: 'extra', partitionPassword: PARTITION_PASSWORD, cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD });
    await emu.assignPartition({ hsmArn: a, clientName: 'app-1', partitionName: 'extra' });
    await expectRefusal(emu.deleteClient(clientArn), 'InvalidRequestException', 'Deregister it first');
    await emu.deregisterClientFromHapg({ clientArn, hapgArn });
    const fleet = await emu.describe();
    expect(fleet.hsms[0]?.clients).toEqual([expect.objectContaining({ id: 'app-1', partitions: ['extra'] })]);
    expect(fleet.hsms[1]?.clients).toEqual([]);
    expect(fleet.hapgs[0]?.registeredClientArns).toEqual([]);
    await expectRefusal(emu.deregisterClientFromHapg({ clientArn, hapgArn }), 'InvalidRequestException', 'not registered');
    await emu.deleteClient(clientArn);
    expect((await emu.describe()).clients[0]).toMatchObject({ name: 'app-1', arn: null });
  });

  it('register-client-to-hapg is refused with a retryable error while a member does not answer', async () => {
    const { emu } = testWorld();
    const { hsmArns, hapgArn } = await haFleet(emu, 2);
    await emu.createCert('app-2');
    const { clientArn } = await emu.createClient({ name: 'app-2' });
    await emu.fail(hsmArns[1] ?? '', 'power');
    const err = await expectRefusal(emu.registerClientToHapg({ clientArn, hapgArn }), 'LUNA_RET_DEVICE_ERROR');
    expect(err.retryable).toBe(true);
    expect((await emu.describe()).hsms[0]?.clients.map((c) => c.id)).toEqual(['app-1']);
  });

  it('get-client-configuration writes Chrystoki.conf and CAFile.pem from the current world', async () => {
    const { emu } = testWorld();
    const { hapgArn, clientArn } = await haFleet(emu, 2, { retry: -1, interval: 60 });
    const { configFile, configCred } = await emu.getClientConfiguration({ clientArn, hapgArns: [hapgArn] });
    await expect(configFile).toMatchFileSnapshot('__golden__/app-1.Chrystoki.conf');
    const fleet = await emu.describe();
    const client = fleet.clients[0];
    expect(client?.configuration).toEqual({ chrystokiConf: configFile, caFile: configCred });
    expect(configFile).toContain(`VirtualToken00SN = ${fleet.hapgs[0]?.serial};`);
    expect(configFile).toContain(`VirtualToken00Members = ${fleet.hapgs[0]?.members.map((m) => m.partitionSerial).join(',')};`);
    expect(configCred.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(client?.servers.map((s) => s.host)).toEqual(fleet.hsms.map((h) => h.eniIp));
    expect(client?.servers.map((s) => s.serverCertificateFingerprint)).toEqual(fleet.hsms.map((h) => h.serverCertificateFingerprint));
  });

  it('get-client-configuration is refused for a HAPG the client is not registered to', async () => {
    const { emu } = testWorld();
    const { clientArn } = await haFleet(emu, 1);
    const { hapgArn: other } = await emu.createHapg({ label: 'other' });
    await expectRefusal(emu.getClientConfiguration({ clientArn, hapgArns: [other] }), 'InvalidRequestException', 'not registered');
  });
});

import { describe, expect, it } from 'vitest';
import { CLONING_DOMAIN, SO_PASSWORD, expectRefusal, initializedHsm, minutes, testWorld } from './fixtures.js';

describe('create-hsm', () => {
  it('provisions an HSM with CloudHSM-shaped identifiers in the AZ default subnet', async () => {
    const { emu } = testWorld();
    const { hsmArn } = await emu.createHsm({ clientToken: 'hsm-a', availabilityZone: 'us-east-1b', syslogIp: '10.0.1.10' });
    const fleet = await emu.describe();
    expect(fleet.account).toMatch(/^\d{12}$/);
    expect(hsmArn).toMatch(new RegExp(`^arn:aws:cloudhsm:us-east-1:${fleet.account}:hsm-[0-9a-f]{8}$`));
    const [hsm] = fleet.hsms;
    expect(hsm).toMatchObject({
      arn: hsmArn,
      status: 'RUNNING',
      reachability: 'reachable',
      availabilityZone: 'us-east-1b',
      softwareVersion: '5.3.13',
      vendor: 'SafeNet',
      clientToken: 'hsm-a',
      zeroized: true,
      label: null,
      soLoginAttemptsLeft: 3,
      partitions: [],
      clients: [],
    });
    expect(hsm?.serial).toMatch(/^[1-9]\d{5}$/);
    expect(hsm?.eniId).toMatch(/^eni-[0-9a-f]{8}$/);
    expect(hsm?.subnetId).toMatch(/^subnet-[0-9a-f]{8}$/);
    expect(hsm?.eniIp).toBe('10.0.2.10');
    expect(hsm?.serverCertificateFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('returns the same HSM for the same client token', async () => {
    const { emu } = testWorld();
    const first = await emu.createHsm({ clientToken: 'hsm-a', availabilityZone: 'us-east-1a' });
    const again = await emu.createHsm({ clientToken: 'hsm-a', availabilityZone: 'us-east-1a' });
    const other = await emu.createHsm({ clientToken: 'hsm-b', availabilityZone: 'us-east-1a' });
    expect(again.hsmArn).toBe(first.hsmArn);
    expect(other.hsmArn).not.toBe(first.hsmArn);
    const fleet = await emu.describe();
    expect(fleet.hsms).toHaveLength(2);
    expect(fleet.hsms.map((h) => h.eniIp)).toEqual(['10.0.1.10', '10.0.1.11']);
    expect(new Set(fleet.hsms.map((h) => h.serial)).size).toBe(2);
  });

  it('places an HSM in a given subnet and keeps a subnet in one AZ', async () => {
    const { emu } = testWorld();
    await emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a', subnetId: 'subnet-0a1b2c3d' });
    const fleet = await emu.describe();
    expect(fleet.hsms[0]).toMatchObject({ subnetId: 'subnet-0a1b2c3d', eniIp: '10.0.11.10' });
    await expectRefusal(emu.createHsm({ clientToken: 'b', availabilityZone: 'us-east-1c', subnetId: 'subnet-0a1b2c3d' }), 'InvalidRequestException', 'is in availability zone us-east-1a');
  });

  it.each([
    { name: 'an AZ of another region', input: { clientToken: 'x', availabilityZone: 'eu-west-1a' }, message: 'Invalid availability zone' },
    { name: 'a malformed subnet id', input: { clientToken: 'x', availabilityZone: 'us-east-1a', subnetId: 'subnet-xyz' }, message: 'Invalid subnet id' },
    { name: 'an empty client token', input: { clientToken: '', availabilityZone: 'us-east-1a' }, message: 'ClientToken' },
    { name: 'an over-long tag key', input: { clientToken: 'x', availabilityZone: 'us-east-1a', tags: { ['k'.repeat(129)]: 'v' } }, message: 'Invalid tag key' },
  ])('refuses $name', async ({ input, message }) => {
    const { emu } = testWorld();
    await expectRefusal(emu.createHsm(input), 'InvalidRequestException', message);
    expect((await emu.describe()).hsms).toEqual([]);
  });

  it('reports PENDING until the provisioning time has passed on the virtual clock', async () => {
    const { emu, wall } = testWorld();
    await emu.setProvisioningTime(minutes(5));
    const { hsmArn } = await emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a' });
    expect((await emu.describe()).hsms[0]?.status).toBe('PENDING');
    await expectRefusal(emu.initializeHsm({ hsmArn, label: 'a', cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD }), 'InvalidRequestException', 'PENDING');
    await emu.advance(minutes(4));
    expect((await emu.describe()).hsms[0]?.status).toBe('PENDING');
    wall.ms += minutes(1); // real time counts too
    expect((await emu.describe()).hsms[0]?.status).toBe('RUNNING');
    await emu.initializeHsm({ hsmArn, label: 'a', cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD });
  });
});

describe('initialize-hsm and delete-hsm', () => {
  it('initializes a zeroized HSM: label set, no longer zeroized, attempts at 3', async () => {
    const { emu } = testWorld();
    const arn = await initializedHsm(emu, 'hsm-a');
    expect((await emu.describe()).hsms[0]).toMatchObject({ arn, zeroized: false, label: 'hsm-a', soLoginAttemptsLeft: 3 });
  });

  it('refuses to initialize an HSM that is not zeroized', async () => {
    const { emu } = testWorld();
    const hsmArn = await initializedHsm(emu, 'hsm-a');
    await expectRefusal(emu.initializeHsm({ hsmArn, label: 'other', cloningDomain: 'd', soPassword: 'p' }), 'InvalidRequestException', 'must be zeroized before it can be initialized');
    expect((await emu.describe()).hsms[0]?.label).toBe('hsm-a');
  });

  it('refuses an invalid label', async () => {
    const { emu } = testWorld();
    const { hsmArn } = await emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a' });
    await expectRefusal(emu.initializeHsm({ hsmArn, label: 'bad label!', cloningDomain: 'd', soPassword: 'p' }), 'InvalidRequestException', 'Invalid label');
  });

  it('deletes only a zeroized HSM, and the token may then be reused', async () => {
    const { emu } = testWorld();
    const hsmArn = await initializedHsm(emu, 'hsm-a');
    await expectRefusal(emu.deleteHsm(hsmArn), 'InvalidRequestException', 'not zeroized');
    await emu.zeroizeHsm(hsmArn);
    await emu.deleteHsm(hsmArn);
    expect((await emu.describe()).hsms).toEqual([]);
    const again = await emu.createHsm({ clientToken: 'hsm-a', availabilityZone: 'us-east-1a' });
    expect(again.hsmArn).not.toBe(hsmArn);
  });

  it('names unknown resources', async () => {
    const { emu } = testWorld();
    await expectRefusal(emu.deleteHsm('arn:aws:cloudhsm:us-east-1:123456789012:hsm-00000000'), 'ResourceNotFound', 'HSM arn:aws:cloudhsm:us-east-1:123456789012:hsm-00000000 not found');
    await expectRefusal(emu.deleteHapg('hapg-00000000'), 'ResourceNotFound');
    await expectRefusal(emu.deleteClient('client-00000000'), 'ResourceNotFound');
  });
});

describe('tags', () => {
  it('adds (overwriting) and removes tags on HSMs, HAPGs and clients', async () => {
    const { emu } = testWorld();
    const { hsmArn } = await emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a', tags: { owner: 'x' } });
    const { hapgArn } = await emu.createHapg({ label: 'g' });
    await emu.createCert('app-1');
    const { clientArn } = await emu.createClient({ name: 'app-1' });
    for (const arn of [hsmArn, hapgArn, clientArn]) {
      await emu.addTags(arn, { owner: 'team', env: 'prod' });
      await emu.removeTags(arn, ['env', 'absent']);
    }
    const fleet = await emu.describe();
    expect([fleet.hsms[0]?.tags, fleet.hapgs[0]?.tags, fleet.clients[0]?.tags]).toEqual([{ owner: 'team' }, { owner: 'team' }, { owner: 'team' }]);
    await expectRefusal(emu.addTags('arn:aws:cloudhsm:us-east-1:1:hsm-nothere', { a: 'b' }), 'ResourceNotFound');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import { runCloudHsm } from '../../../src/emulator/shell/cloudhsm/index.js';
import { DOMAIN, expectNoSecrets, ok, PARTITION_PW, shellWorld, SO } from './world.js';

const KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 manager@example';
const files: Record<string, string> = { 'keys/manager.pub': `${KEY}\n` };
const readFile = async (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: ${path}`);
  return text;
};

describe('the CloudHSM CLI against the emulated control plane', () => {
  let emu: WorldEmulator;
  const cloudhsm = (...argv: string[]) => runCloudHsm(emu, argv, { readFile });
  const json = async (...argv: string[]) => JSON.parse(ok(await cloudhsm(...argv))) as Record<string, unknown>;
  const createHsm = async (zone = 'us-east-1a', token?: string) =>
    String((await json('create-hsm', '--subnet-id', 'subnet-0a1b2c3d', '--ssh-public-key-file', 'keys/manager.pub', '--iam-role-arn', 'arn:aws:iam::123456789012:role/CloudHSM', '--syslog-ip', '10.0.1.5', '--availability-zone', zone, ...(token ? ['--client-token', token] : []))).HsmArn);

  beforeEach(() => {
    emu = shellWorld().emu;
  });

  it('walks the seed procedure: create, initialize, HAPG, client, registration and configuration', async () => {
    const a = await createHsm();
    expect(a).toMatch(/^arn:aws:cloudhsm:us-east-1:\d{12}:hsm-[0-9a-f]{8}$/);
    const b = await createHsm();
    for (const [arn, label] of [[a, 'prod-a'], [b, 'prod-b']] as const) {
      const init = ok(await cloudhsm('initialize-hsm', '--hsm-arn', arn, '--label', label, '--cloning-domain', DOMAIN, '--so-password', SO));
      expect(JSON.parse(init)).toEqual({ Status: `Initialization of HSM ${arn} successful` });
      expectNoSecrets(init);
    }
    const hapg = String((await json('create-hapg', '--group-label', 'hapg1')).HapgArn);
    expect(hapg).toMatch(/:hapg-[0-9a-f]{8}$/);
    for (const arn of [a, b]) {
      const added = ok(await cloudhsm('add-hsm-to-hapg', '--hsm-arn', arn, '--hapg-arn', hapg, '--cloning-domain', DOMAIN, '--partition-password', PARTITION_PW, '--so-password', SO));
      expect(JSON.parse(added)).toEqual({ Status: `Addition of HSM ${arn} to HA partition group ${hapg} successful` });
    }
    await emu.createCert('app-1');
    const client = String((await json('create-client', '--certificate-file', '/usr/safenet/lunaclient/cert/client/app-1.pem')).ClientArn);
    expect(client).toMatch(/:client-[0-9a-f]{8}$/);
    expect(await json('register-client-to-hapg', '--client-arn', client, '--hapg-arn', hapg)).toEqual({
      Status: `Registration of the client ${client} to the HA partition group ${hapg} successful`,
    });
    expect(ok(await cloudhsm('get-client-configuration', '--client-arn', client, '--hapg-arn', hapg, '--cert-directory', '/tmp/certs', '--config-directory', '/etc/'))).toBe(
      'The configuration file has been copied to /etc/\nThe server certificate has been copied to /tmp/certs\n',
    );
    const described = await json('describe-hapg', '--hapg-arn', hapg);
    expect(described).toMatchObject({ HapgArn: hapg, Label: 'hapg1', State: 'READY' });
    expect(described.PartitionSerialList).toHaveLength(2);
    expect((await emu.describe()).clients[0]?.configuration?.chrystokiConf).toContain('VirtualToken00Label = hapg1;');
  });

  it('describes and lists HSMs in the API field names, and finds an HSM by serial', async () => {
    const arn = await createHsm('us-east-1b');
    const hsm = await json('describe-hsm', '--hsm-arn', arn);
    expect(Object.keys(hsm)).toEqual(['HsmArn', 'Status', 'AvailabilityZone', 'EniId', 'EniIp', 'SubscriptionType', 'SubnetId', 'SerialNumber', 'VendorName', 'HsmType', 'SoftwareVersion', 'Partitions']);
    expect(hsm).toMatchObject({ HsmArn: arn, Status: 'RUNNING', AvailabilityZone: 'us-east-1b', SubnetId: 'subnet-0a1b2c3d' });
    expect(await json('describe-hsm', '--hsm-serial-number', String(hsm.SerialNumber))).toEqual(hsm);
    expect(await json('list-hsms')).toEqual({ HsmList: [arn] });
    expect(await json('list-hapgs')).toEqual({ HapgList: [] });
    expect(await json('list-clients')).toEqual({ ClientList: [] });
    expect(await json('version')).toEqual({ Version: '3.0.5' });
  });

  it('returns the same HSM for the same client token', async () => {
    const first = await createHsm('us-east-1a', 'token-1');
    expect(await createHsm('us-east-1a', 'token-1')).toBe(first);
    expect((await emu.describe()).hsms).toHaveLength(1);
  });

  it('deletes a zeroized HSM, a HAPG and a client', async () => {
    const arn = await createHsm();
    expect(await json('delete-hsm', '--hsm-arn', arn)).toEqual({ Status: `Deletion of HSM ${arn} successful` });
    const hapg = String((await json('create-hapg', '--group-label', 'g1')).HapgArn);
    ok(await cloudhsm('delete-hapg', '--hapg-arn', hapg));
    await emu.createCert('app-1');
    const client = String((await json('create-client', '--certificate-file', 'app-1.pem')).ClientArn);
    expect(await json('describe-client', '--client-arn', client)).toMatchObject({ ClientArn: client, Label: 'app-1' });
    ok(await cloudhsm('delete-client', '--client-arn', client));
    const world = await emu.describe();
    expect([world.hsms.length, world.hapgs.length, world.clients[0]?.arn]).toEqual([0, 0, null]);
  });

  it('adds, lists and removes tags', async () => {
    const arn = await createHsm();
    ok(await cloudhsm('add-tags-to-resource', '--resource-arn', arn, '--tag-list', 'Key=env,Value=prod', 'Key=team,Value=pki'));
    ok(await cloudhsm('add-tags-to-resource', '--resource-arn', arn, '--tag-list', '[{"Key":"env","Value":"dev"}]'));
    expect(await json('list-tags-for-resource', '--resource-arn', arn)).toEqual({ TagList: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'pki' }] });
    ok(await cloudhsm('remove-tags-from-resource', '--resource-arn', arn, '--tag-key-list', 'team'));
    expect(await json('list-tags-for-resource', '--resource-arn', arn)).toEqual({ TagList: [{ Key: 'env', Value: 'dev' }] });
  });

  it('removes an HSM from a HAPG and deregisters a client', async () => {
    const a = await createHsm();
    ok(await cloudhsm('initialize-hsm', '--hsm-arn', a, '--label', 'a', '--cloning-domain', DOMAIN, '--so-password', SO));
    const hapg = String((await json('create-hapg', '--group-label', 'hapg1')).HapgArn);
    ok(await cloudhsm('add-hsm-to-hapg', '--hsm-arn', a, '--hapg-arn', hapg, '--cloning-domain', DOMAIN, '--partition-password', PARTITION_PW, '--so-password', SO));
    await emu.createCert('app-1');
    const client = String((await json('create-client', '--certificate-file', 'app-1.pem')).ClientArn);
    ok(await cloudhsm('register-client-to-hapg', '--client-arn', client, '--hapg-arn', hapg));
    expect(await json('deregister-client-from-hapg', '--client-arn', client, '--hapg-arn', hapg)).toEqual({
      Status: `Deregistration of the client ${client} from the HA partition group ${hapg} successful`,
    });
    expect(await json('remove-hsm-from-hapg', '--hsm-arn', a, '--hapg-arn', hapg)).toEqual({ Status: `Removal of HSM ${a} from HA partition group ${hapg} successful` });
    const world = await emu.describe();
    expect([world.hapgs[0]?.members, world.hsms[0]?.partitions]).toEqual([[], []]);
  });

  it('takes a pasted "CloudHSM" prefix, one quoted line and typographic dashes', async () => {
    expect(String((await json('CloudHSM', 'create-hapg', '\u2013group-label', 'g1')).HapgArn)).toMatch(/:hapg-/);
    expect(String((await json('aws cloudhsm create-hapg --group-label "g-2"')).HapgArn)).toMatch(/:hapg-/);
  });
});

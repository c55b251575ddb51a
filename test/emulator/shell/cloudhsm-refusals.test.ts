import { beforeEach, describe, expect, it } from 'vitest';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import { runCloudHsm } from '../../../src/emulator/shell/cloudhsm/index.js';
import { DOMAIN, expectNoSecrets, PARTITION_PW, refused, seedFleet, shellWorld, snapshot, SO, type SeededFleet } from './world.js';

const readFile = async (path: string) => {
  if (path === 'keys/manager.pub') return 'ssh-rsa AAAAB3Nza manager\n';
  if (path === 'keys/not-a-key.txt') return 'hello\n';
  throw new Error(`ENOENT: ${path}`);
};

describe('CloudHSM CLI refusals', () => {
  let emu: WorldEmulator;
  let fleet: SeededFleet;
  const cloudhsm = (...argv: string[]) => runCloudHsm(emu, argv, { readFile });

  beforeEach(async () => {
    emu = shellWorld().emu;
    fleet = await seedFleet(emu);
  });

  const createHsm = ['create-hsm', '--subnet-id', 'subnet-0a1b2c3d', '--iam-role-arn', 'arn:aws:iam::1:role/r'];
  const cases: Array<{ name: string; argv: (f: SeededFleet) => string[]; error: string }> = [
    { name: 'an unknown command', argv: () => ['frob-hsm'], error: "cloudhsm: error: argument command: invalid choice: 'frob-hsm'" },
    { name: 'no command', argv: () => [], error: 'usage: cloudhsm <command> [options]' },
    { name: 'a missing required argument', argv: () => ['describe-hapg'], error: 'cloudhsm describe-hapg: error: the following arguments are required: --hapg-arn' },
    { name: 'several missing arguments', argv: (f) => ['add-hsm-to-hapg', '--hsm-arn', f.a.arn], error: 'the following arguments are required: --hapg-arn, --cloning-domain, --partition-password, --so-password' },
    { name: 'an unknown option', argv: () => ['list-hsms', '--verbose'], error: 'cloudhsm list-hsms: error: unrecognized arguments: --verbose' },
    { name: 'an option without its value', argv: () => ['describe-hsm', '--hsm-arn'], error: 'argument --hsm-arn: expected one argument' },
    { name: 'stray words, without echoing them', argv: (f) => ['initialize-hsm', '--hsm-arn', f.a.arn, '--label', 'x', '--cloning-domain', DOMAIN, '--so-password', SO, 'extra'], error: 'unrecognized arguments (1 extra value)' },
    { name: 'an unreadable SSH key file', argv: () => [...createHsm, '--ssh-public-key-file', 'keys/missing.pub'], error: "argument --ssh-public-key-file: can't open 'keys/missing.pub'" },
    { name: 'an SSH key in the wrong format', argv: () => [...createHsm, '--ssh-public-key-file', 'keys/not-a-key.txt'], error: 'An error occurred (InvalidRequestException) when calling the CreateHsm operation: The SSH public key' },
    { name: 'describe-hsm of an unknown HSM', argv: () => ['describe-hsm', '--hsm-arn', 'arn:aws:cloudhsm:us-east-1:1:hsm-00000000'], error: 'An error occurred (InvalidRequestException) when calling the DescribeHsm operation: HSM arn:aws:cloudhsm:us-east-1:1:hsm-00000000 not found' },
    { name: 'delete-hsm of an initialized HSM', argv: (f) => ['delete-hsm', '--hsm-arn', f.a.arn], error: 'An error occurred (InvalidRequestException) when calling the DeleteHsm operation: The HSM' },
    { name: 'initialize-hsm of an initialized HSM', argv: (f) => ['initialize-hsm', '--hsm-arn', f.a.arn, '--label', 'x', '--cloning-domain', DOMAIN, '--so-password', SO], error: 'when calling the InitializeHsm operation: The HSM' },
    { name: 'add-hsm-to-hapg of a member', argv: (f) => ['add-hsm-to-hapg', '--hsm-arn', f.a.arn, '--hapg-arn', f.hapgArn, '--cloning-domain', DOMAIN, '--partition-password', PARTITION_PW, '--so-password', SO], error: 'An error occurred (InvalidRequestException) when calling the AddHsmToHapg operation:' },
    { name: 'remove-hsm-from-hapg of a non-member', argv: (f) => ['remove-hsm-from-hapg', '--hsm-arn', f.a.arn, '--hapg-arn', 'hapg-00000000'], error: 'HA partition group hapg-00000000 not found' },
    { name: 'create-client without a certificate', argv: () => ['create-client', '--certificate-file', 'cert/client/ghost.pem'], error: 'when calling the CreateLunaClient operation: Could not read a client certificate from cert/client/ghost.pem' },
    { name: 'create-client for a client that has an ARN', argv: () => ['create-client', '--certificate-file', 'app-1.pem'], error: 'when calling the CreateLunaClient operation: A client with this certificate already exists' },
    { name: 'delete-client of a registered client', argv: (f) => ['delete-client', '--client-arn', f.clientArn], error: 'when calling the DeleteLunaClient operation:' },
    { name: 'describe-client of an unknown client', argv: () => ['describe-client', '--client-arn', 'client-00000000'], error: 'Client client-00000000 not found' },
    { name: 'get-client-configuration with a bad client version', argv: (f) => ['get-client-configuration', '--client-arn', f.clientArn, '--hapg-arn', f.hapgArn, '--client-version', '4.0'], error: 'ClientVersion must be 5.1 or 5.3' },
    { name: 'tags in an unknown shape', argv: (f) => ['add-tags-to-resource', '--resource-arn', f.a.arn, '--tag-list', 'env=prod'], error: 'Tags are written Key=<key>,Value=<value>' },
    { name: 'tags on an unknown resource', argv: () => ['list-tags-for-resource', '--resource-arn', 'hsm-00000000'], error: 'Resource hsm-00000000 not found' },
  ];

  it.each(cases)('refuses $name as the AWS tools do, exit 1, world unchanged', async ({ argv, error }) => {
    const before = await snapshot(emu);
    const stderr = refused(await cloudhsm(...argv(fleet)));
    expect(stderr).toContain(error);
    expectNoSecrets(stderr);
    expect(await snapshot(emu)).toEqual(before);
  });

  it('reports a wrong SO password of add-hsm-to-hapg as a service error, spending one attempt', async () => {
    const { hsmArn } = await emu.createHsm({ clientToken: 'c', availabilityZone: 'us-east-1c' });
    await emu.initializeHsm({ hsmArn, label: 'prod-c', cloningDomain: DOMAIN, soPassword: SO });
    const stderr = refused(await cloudhsm('add-hsm-to-hapg', '--hsm-arn', hsmArn, '--hapg-arn', fleet.hapgArn, '--cloning-domain', DOMAIN, '--partition-password', PARTITION_PW, '--so-password', 'not-the-password'));
    expect(stderr).toMatch(/^An error occurred \((CloudHsmServiceException|InvalidRequestException)\) when calling the AddHsmToHapg operation: /);
    expect(stderr).not.toContain('not-the-password');
    expect((await emu.describe()).hapgs[0]?.members).toHaveLength(2);
  });

  it('refuses another cloning domain without printing either domain', async () => {
    const { hsmArn } = await emu.createHsm({ clientToken: 'd', availabilityZone: 'us-east-1c' });
    await emu.initializeHsm({ hsmArn, label: 'prod-d', cloningDomain: 'other-Secret-domain', soPassword: SO });
    const stderr = refused(await cloudhsm('add-hsm-to-hapg', '--hsm-arn', hsmArn, '--hapg-arn', fleet.hapgArn, '--cloning-domain', 'other-Secret-domain', '--partition-password', PARTITION_PW, '--so-password', SO));
    expect(stderr).toContain('when calling the AddHsmToHapg operation');
    expect(stderr).not.toContain('other-Secret-domain');
    expectNoSecrets(stderr);
  });

  it('prints usage for --help without running anything', async () => {
    const output = await cloudhsm('create-hsm', '--help');
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain('usage: cloudhsm create-hsm [-h] --subnet-id SUBNET_ID --ssh-public-key-file SSH_PUBLIC_KEY_FILE');
  });
});

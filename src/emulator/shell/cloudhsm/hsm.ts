import { randomUUID } from 'node:crypto';
import type { Hsm } from '../../../fleet/types.js';
import { ShellRefusal } from '../output.js';
import { hsmOf, invalidRequest, value, type CloudHsmCommand } from './command.js';

/** CloudHSM CLI HSM commands: create-hsm, describe-hsm, list-hsms, delete-hsm, initialize-hsm. */

/** `DescribeHsm`'s answer for one HSM (PascalCase, as the API returns it). */
export function describeHsmJson(hsm: Hsm): Record<string, unknown> {
  return {
    HsmArn: hsm.arn,
    Status: hsm.status,
    ...(hsm.reachability === 'reachable' ? {} : { StatusDetails: hsm.reachability === 'power-lost' ? 'The HSM has lost power.' : 'The HSM has lost network connectivity.' }),
    AvailabilityZone: hsm.availabilityZone,
    EniId: hsm.eniId,
    EniIp: hsm.eniIp,
    SubscriptionType: 'PRODUCTION',
    SubnetId: hsm.subnetId,
    SerialNumber: hsm.serial,
    VendorName: hsm.vendor,
    HsmType: 'LunaSA',
    SoftwareVersion: hsm.softwareVersion,
    Partitions: hsm.partitions.map((p) => `${hsm.arn}/partition-${p.serial}`),
  };
}

const createHsm: CloudHsmCommand = {
  name: 'create-hsm',
  operation: 'CreateHsm',
  options: [
    { name: 'subnet-id', kind: 'value', required: true },
    { name: 'ssh-public-key-file', kind: 'value', required: true },
    { name: 'iam-role-arn', kind: 'value', required: true },
    { name: 'syslog-ip', kind: 'value' },
    { name: 'client-token', kind: 'value' },
    { name: 'availability-zone', kind: 'value' },
  ],
  async run(context, args) {
    const subnetId = value(args, 'subnet-id');
    const keyFile = value(args, 'ssh-public-key-file');
    let sshPublicKey: string;
    try {
      sshPublicKey = (await context.readFile(keyFile)).trim();
    } catch {
      throw new ShellRefusal(`cloudhsm create-hsm: error: argument --ssh-public-key-file: can't open '${keyFile}': No such file or directory`);
    }
    if (!/^ssh-(rsa|ed25519|dss) /.test(sshPublicKey)) invalidRequest(`The SSH public key in ${keyFile} is not in OpenSSH format (ssh-rsa AAAA…).`);
    const fleet = await context.emulator.describe();
    // The API finds the zone from the subnet; the emulation knows a subnet once an HSM used it.
    const availabilityZone =
      args.values.get('availability-zone') ?? fleet.hsms.find((h) => h.subnetId === subnetId)?.availabilityZone ?? `${fleet.region}a`;
    const syslogIp = args.values.get('syslog-ip');
    const { hsmArn } = await context.emulator.createHsm({
      clientToken: args.values.get('client-token') ?? randomUUID(),
      availabilityZone,
      subnetId,
      sshPublicKey,
      ...(syslogIp === undefined ? {} : { syslogIp }),
    });
    return { HsmArn: hsmArn };
  },
};

const describeHsm: CloudHsmCommand = {
  name: 'describe-hsm',
  operation: 'DescribeHsm',
  options: [
    { name: 'hsm-arn', kind: 'value' },
    { name: 'hsm-serial-number', kind: 'value' },
  ],
  async run(context, args) {
    const ref = args.values.get('hsm-arn') ?? args.values.get('hsm-serial-number');
    if (ref === undefined) invalidRequest('Either HsmArn or HsmSerialNumber must be given.');
    const fleet = await context.emulator.describe();
    return describeHsmJson(hsmOf(fleet, ref));
  },
};

const listHsms: CloudHsmCommand = {
  name: 'list-hsms',
  operation: 'ListHsms',
  options: [],
  async run(context) {
    const fleet = await context.emulator.describe();
    return { HsmList: fleet.hsms.map((h) => h.arn) };
  },
};

const deleteHsm: CloudHsmCommand = {
  name: 'delete-hsm',
  operation: 'DeleteHsm',
  options: [{ name: 'hsm-arn', kind: 'value', required: true }],
  async run(context, args) {
    const hsm = hsmOf(await context.emulator.describe(), value(args, 'hsm-arn'));
    await context.emulator.deleteHsm(hsm.arn);
    return { Status: `Deletion of HSM ${hsm.arn} successful` };
  },
};

const initializeHsm: CloudHsmCommand = {
  name: 'initialize-hsm',
  operation: 'InitializeHsm',
  options: [
    { name: 'hsm-arn', kind: 'value', required: true },
    { name: 'label', kind: 'value', required: true },
    { name: 'cloning-domain', kind: 'value', required: true },
    { name: 'so-password', kind: 'value', required: true },
  ],
  async run(context, args) {
    const hsm = hsmOf(await context.emulator.describe(), value(args, 'hsm-arn'));
    await context.emulator.initializeHsm({
      hsmArn: hsm.arn,
      label: value(args, 'label'),
      cloningDomain: value(args, 'cloning-domain'),
      soPassword: value(args, 'so-password'),
    });
    return { Status: `Initialization of HSM ${hsm.arn} successful` };
  },
};

/** The HSM commands. */
export const hsmCommands: CloudHsmCommand[] = [createHsm, describeHsm, listHsms, deleteHsm, initializeHsm];

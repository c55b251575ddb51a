import type { Hapg } from '../../../fleet/types.js';
import { hapgOf, hsmOf, invalidRequest, value, type CloudHsmCommand } from './command.js';

/**
 * CloudHSM CLI HA partition group commands: create-hapg, describe-hapg, list-hapgs, delete-hapg,
 * add-hsm-to-hapg, remove-hsm-from-hapg.
 */

/** `DescribeHapg`'s answer (PascalCase, as the API returns it). */
export function describeHapgJson(hapg: Hapg): Record<string, unknown> {
  return {
    HapgArn: hapg.arn,
    HapgSerial: hapg.serial,
    HsmsLastActionFailed: [],
    HsmsPendingDeletion: [],
    HsmsPendingRegistration: [],
    Label: hapg.label,
    PartitionSerialList: hapg.members.map((m) => m.partitionSerial),
    State: hapg.state,
  };
}

const createHapg: CloudHsmCommand = {
  name: 'create-hapg',
  operation: 'CreateHapg',
  options: [{ name: 'group-label', kind: 'value', required: true, aliases: ['label'] }],
  async run(context, args) {
    const { hapgArn } = await context.emulator.createHapg({ label: value(args, 'group-label') });
    return { HapgArn: hapgArn };
  },
};

const describeHapg: CloudHsmCommand = {
  name: 'describe-hapg',
  operation: 'DescribeHapg',
  options: [{ name: 'hapg-arn', kind: 'value', required: true }],
  async run(context, args) {
    return describeHapgJson(hapgOf(await context.emulator.describe(), value(args, 'hapg-arn')));
  },
};

const listHapgs: CloudHsmCommand = {
  name: 'list-hapgs',
  operation: 'ListHapgs',
  options: [],
  async run(context) {
    return { HapgList: (await context.emulator.describe()).hapgs.map((g) => g.arn) };
  },
};

const deleteHapg: CloudHsmCommand = {
  name: 'delete-hapg',
  operation: 'DeleteHapg',
  options: [{ name: 'hapg-arn', kind: 'value', required: true }],
  async run(context, args) {
    const hapg = hapgOf(await context.emulator.describe(), value(args, 'hapg-arn'));
    await context.emulator.deleteHapg(hapg.arn);
    return { Status: `Deletion of HA partition group ${hapg.arn} successful` };
  },
};

const addHsmToHapg: CloudHsmCommand = {
  name: 'add-hsm-to-hapg',
  operation: 'AddHsmToHapg',
  options: [
    { name: 'hsm-arn', kind: 'value', required: true },
    { name: 'hapg-arn', kind: 'value', required: true },
    { name: 'cloning-domain', kind: 'value', required: true },
    { name: 'partition-password', kind: 'value', required: true },
    { name: 'so-password', kind: 'value', required: true },
  ],
  async run(context, args) {
    const fleet = await context.emulator.describe();
    const hsm = hsmOf(fleet, value(args, 'hsm-arn'));
    const hapg = hapgOf(fleet, value(args, 'hapg-arn'));
    await context.emulator.addHsmToHapg({
      hsmArn: hsm.arn,
      hapgArn: hapg.arn,
      cloningDomain: value(args, 'cloning-domain'),
      partitionPassword: value(args, 'partition-password'),
      soPassword: value(args, 'so-password'),
    });
    return { Status: `Addition of HSM ${hsm.arn} to HA partition group ${hapg.arn} successful` };
  },
};

const removeHsmFromHapg: CloudHsmCommand = {
  name: 'remove-hsm-from-hapg',
  operation: 'RemoveHsmFromHapg',
  options: [
    { name: 'hsm-arn', kind: 'value', required: true },
    { name: 'hapg-arn', kind: 'value', required: true },
  ],
  async run(context, args) {
    const fleet = await context.emulator.describe();
    const hsm = hsmOf(fleet, value(args, 'hsm-arn'));
    const hapg = hapgOf(fleet, value(args, 'hapg-arn'));
    if (!hapg.members.some((m) => m.hsmArn === hsm.arn)) invalidRequest(`HSM ${hsm.arn} is not a member of HA partition group ${hapg.arn}.`);
    await context.emulator.removeHsmFromHapg({ hsmArn: hsm.arn, hapgArn: hapg.arn });
    return { Status: `Removal of HSM ${hsm.arn} from HA partition group ${hapg.arn} successful` };
  },
};

/** The HAPG commands. */
export const hapgCommands: CloudHsmCommand[] = [createHapg, describeHapg, listHapgs, deleteHapg, addHsmToHapg, removeHsmFromHapg];

import { UserError } from '../../errors.js';
import { memberPartition, requireHapgOf, requireHsmOf, requireReachable } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `client assignPartition -client ID -partition NAME`: the client may use the HSM's partition of
 * the group (named after the group's id and the HSM's serial, so only known once both exist).
 * Done when it is assigned already.
 */
export const partitionAssign: ActionHandler<'partition.assign'> = {
  describe: () => ({ doing: 'Assigning partition', done: 'Partition assigned' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hsm = requireReachable(requireHsmOf(fleet, p), p.hsmName);
    const partitionName = memberPartition(requireHapgOf(fleet, p), hsm) ?? p.partitionName;
    if (partitionName === undefined) {
      throw new UserError('apply.missing', `hsm ${p.hsmName} is not a member of hapg ${p.hapgLabel}, so it has no partition to assign to ${p.clientName}`);
    }
    const entry = hsm.clients.find((c) => c.id === p.clientName);
    if (entry?.partitions.includes(partitionName)) return ALREADY_THERE;
    await ctx.driver.assignPartition({ hsmArn: hsm.arn, clientName: p.clientName, partitionName });
    return 'assigned';
  },
};

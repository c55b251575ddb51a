import { findHsmOf, requireReachable } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `client revokePartition -client ID -partition NAME`: done when it is not assigned. */
export const partitionRevoke: ActionHandler<'partition.revoke'> = {
  describe: () => ({ doing: 'Revoking partition', done: 'Partition revoked' }),
  async apply(action, ctx) {
    const p = action.params;
    const hsm = findHsmOf(await ctx.observe(), p);
    if (hsm === undefined) return ALREADY_THERE;
    requireReachable(hsm, p.hsmName);
    const entry = hsm.clients.find((c) => c.id === p.clientName);
    if (entry === undefined || !entry.partitions.includes(p.partitionName)) return ALREADY_THERE;
    await ctx.driver.revokePartition({ hsmArn: hsm.arn, clientName: p.clientName, partitionName: p.partitionName });
    return 'revoked';
  },
};

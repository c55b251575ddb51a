import { findClient, requireHsmOf, requireReachable } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `client register -client ID -hostname HOST` on the appliance, with the client's certificate.
 * Done when registered with that certificate. A registration with another certificate is deleted
 * and made again, and the partitions it had are assigned again (deleting a client revokes them).
 */
export const hsmRegisterClient: ActionHandler<'hsm.registerClient'> = {
  describe: () => ({ doing: 'Registering client', done: 'Client registered' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hsm = requireReachable(requireHsmOf(fleet, p), p.hsmName);
    const certificate = findClient(fleet, p.clientName)?.certificateFingerprint ?? null;
    const entry = hsm.clients.find((c) => c.id === p.clientName);
    if (entry !== undefined && (certificate === null || entry.certificateFingerprint === certificate)) return ALREADY_THERE;
    if (entry !== undefined) await ctx.driver.deleteClientOnHsm({ hsmArn: hsm.arn, clientName: p.clientName });
    await ctx.driver.registerClientOnHsm({ hsmArn: hsm.arn, clientName: p.clientName, hostname: p.hostname });
    for (const partitionName of entry?.partitions ?? []) {
      await ctx.driver.assignPartition({ hsmArn: hsm.arn, clientName: p.clientName, partitionName });
    }
    return 'registered';
  },
};

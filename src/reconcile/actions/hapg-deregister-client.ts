import { findClient, findHapgOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `deregister-client-from-hapg`: done when the client is no longer registered to the group. */
export const hapgDeregisterClient: ActionHandler<'hapg.deregisterClient'> = {
  describe: () => ({ doing: 'Deregistering client', done: 'Client deregistered' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hapg = findHapgOf(fleet, p);
    const client = findClient(fleet, p.clientName);
    if (hapg === undefined || client?.arn == null || !client.hapgArns.includes(hapg.arn)) return ALREADY_THERE;
    await ctx.driver.deregisterClientFromHapg({ clientArn: client.arn, hapgArn: hapg.arn });
    return 'deregistered';
  },
};

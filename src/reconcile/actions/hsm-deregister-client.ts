import { findHsmOf, requireReachable } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `client delete -client ID` on the appliance: done when the client is not registered there. */
export const hsmDeregisterClient: ActionHandler<'hsm.deregisterClient'> = {
  describe: () => ({ doing: 'Deleting client registration', done: 'Client registration deleted' }),
  async apply(action, ctx) {
    const p = action.params;
    const hsm = findHsmOf(await ctx.observe(), p);
    if (hsm !== undefined) requireReachable(hsm, p.hsmName);
    if (hsm === undefined || !hsm.clients.some((c) => c.id === p.clientName)) return ALREADY_THERE;
    await ctx.driver.deleteClientOnHsm({ hsmArn: hsm.arn, clientName: p.clientName });
    return 'deregistered';
  },
};

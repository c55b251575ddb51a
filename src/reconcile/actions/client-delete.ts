import { findClient } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `delete-client`: done when the client has no control-plane identity any more. */
export const clientDelete: ActionHandler<'client.delete'> = {
  describe: () => ({ doing: 'Destroying', done: 'Destruction complete' }),
  async apply(action, ctx) {
    const client = findClient(await ctx.observe(), action.params.clientName);
    if (client?.arn == null) return ALREADY_THERE;
    await ctx.driver.deleteClient(client.arn);
    return 'deleted';
  },
};

import { findClient } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `vtl deleteServer -n IP`: done when the client no longer lists the server. */
export const clientDeleteServer: ActionHandler<'client.deleteServer'> = {
  describe: () => ({ doing: 'Removing trusted server', done: 'Trusted server removed' }),
  async apply(action, ctx) {
    const p = action.params;
    const client = findClient(await ctx.observe(), p.clientName);
    if (client === undefined || !client.servers.some((s) => s.host === p.host)) return ALREADY_THERE;
    await ctx.driver.deleteServer({ clientName: p.clientName, host: p.host });
    return 'removed';
  },
};

import { managedTags } from '../../fleet/tags.js';
import { findClient } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `vtl createCert -n NAME` (idempotent) then `create-client` with the certificate, tagged as
 * managed. Done when the client has a control-plane identity.
 */
export const clientCreate: ActionHandler<'client.create'> = {
  describe: () => ({ doing: 'Creating', done: 'Creation complete' }),
  async apply(action, ctx) {
    const name = action.params.clientName;
    if (findClient(await ctx.observe(), name)?.arn != null) return ALREADY_THERE;
    await ctx.driver.createCert(name);
    await ctx.driver.createClient({ name, tags: managedTags(name) });
    return 'created';
  },
};

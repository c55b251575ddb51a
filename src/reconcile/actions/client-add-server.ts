import { findClient, requireHsmOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `vtl addServer -n IP -c server.pem`: the client trusts the HSM's current server certificate.
 * Done when it already does; an entry with another certificate is replaced.
 */
export const clientAddServer: ActionHandler<'client.addServer'> = {
  describe: () => ({ doing: 'Adding trusted server', done: 'Trusted server added' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hsm = requireHsmOf(fleet, p);
    const entry = findClient(fleet, p.clientName)?.servers.find((s) => s.host === hsm.eniIp);
    if (entry?.serverCertificateFingerprint === hsm.serverCertificateFingerprint) return ALREADY_THERE;
    if (entry !== undefined) await ctx.driver.deleteServer({ clientName: p.clientName, host: entry.host });
    await ctx.driver.addServer({ clientName: p.clientName, hsmArn: hsm.arn });
    return 'added';
  },
};

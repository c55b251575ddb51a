import { UserError } from '../../errors.js';
import { desiredHsm, requireHsmOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `initialize-hsm` on a zeroized HSM: label, cloning domain and SO password. Done already when the
 * HSM carries the declared label and cloning domain. An HSM initialized otherwise is left alone:
 * wiping it is the job of a planned (and approved) `hsm.zeroize`, never a side effect.
 */
export const hsmInitialize: ActionHandler<'hsm.initialize'> = {
  describe: (a) => (a.change === 'replace' ? { doing: 'Re-initializing', done: 'Re-initialization complete' } : { doing: 'Initializing', done: 'Initialization complete' }),
  async apply(action, ctx) {
    const p = action.params;
    let hsm = requireHsmOf(await ctx.observe(), p);
    const d = desiredHsm(ctx, p.hsmName);
    if (!hsm.zeroized) {
      if (hsm.label === p.label && (await ctx.driver.verifyCloningDomain(hsm.arn, d.cloningDomain.reveal()))) return ALREADY_THERE;
      throw new UserError(
        'apply.initialized',
        `hsm ${p.hsmName} is already initialized (label ${hsm.label ?? '(none)'}) otherwise than declared; initializing it again would wipe it, ` +
          'which this plan does not do; run "hsmctl plan" again',
      );
    }
    if (hsm.status === 'PENDING') hsm = await ctx.waitUntilProvisioned(hsm.arn, p.hsmName);
    await ctx.driver.initializeHsm({ hsmArn: hsm.arn, label: p.label, cloningDomain: d.cloningDomain.reveal(), soPassword: d.soPassword.reveal() });
    return action.change === 'replace' ? 'replaced' : 'initialized';
  },
};

import { findHsmOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `hsm zeroize` (destructive; planned only with --allow-destroy): done when the HSM is zeroized or gone. */
export const hsmZeroize: ActionHandler<'hsm.zeroize'> = {
  describe: () => ({ doing: 'Zeroizing', done: 'Zeroization complete' }),
  async apply(action, ctx) {
    const hsm = findHsmOf(await ctx.observe(), action.params);
    if (hsm === undefined || hsm.zeroized) return ALREADY_THERE;
    await ctx.driver.zeroizeHsm(hsm.arn);
    return 'zeroized';
  },
};

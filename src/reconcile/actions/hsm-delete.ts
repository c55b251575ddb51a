import { findHsmOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `delete-hsm` of a zeroized HSM: done when it is gone. */
export const hsmDelete: ActionHandler<'hsm.delete'> = {
  describe: () => ({ doing: 'Destroying', done: 'Destruction complete' }),
  async apply(action, ctx) {
    const hsm = findHsmOf(await ctx.observe(), action.params);
    if (hsm === undefined) return ALREADY_THERE;
    await ctx.driver.deleteHsm(hsm.arn);
    return 'deleted';
  },
};

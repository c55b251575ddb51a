import { findHapgOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `delete-hapg`: done when the group is gone (its members keep their partitions). */
export const hapgDelete: ActionHandler<'hapg.delete'> = {
  describe: () => ({ doing: 'Destroying', done: 'Destruction complete' }),
  async apply(action, ctx) {
    const hapg = findHapgOf(await ctx.observe(), action.params);
    if (hapg === undefined) return ALREADY_THERE;
    await ctx.driver.deleteHapg(hapg.arn);
    return 'deleted';
  },
};

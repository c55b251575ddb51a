import { findHapgOf, findHsmOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `remove-hsm-from-hapg`: the member's partition and its objects are deleted (the planner marks it
 * destructive when they are the last copy). Done when the group no longer lists the HSM.
 */
export const hapgRemoveMember: ActionHandler<'hapg.removeMember'> = {
  describe: () => ({ doing: 'Removing member', done: 'Member removed' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hapg = findHapgOf(fleet, p);
    const hsm = findHsmOf(fleet, p);
    if (hapg === undefined || hsm === undefined || !hapg.members.some((m) => m.hsmArn === hsm.arn)) return ALREADY_THERE;
    await ctx.driver.removeHsmFromHapg({ hsmArn: hsm.arn, hapgArn: hapg.arn });
    return 'removed';
  },
};

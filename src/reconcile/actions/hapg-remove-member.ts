import { UserError } from '../../errors.js';
import type { Hapg, ObservedFleet } from '../../fleet/types.js';
import { findHapgOf, findHsmOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `remove-hsm-from-hapg`: the member's partition and its objects are deleted (the planner marks it
 * destructive when they are the last copy). Done when the group no longer lists the HSM.
 *
 * A removal planned as harmless checks again just before the call: applications keep writing
 * through the group while an apply runs, and a member that took writes the others missed (they
 * were out of rotation) would take the only copy with it. It then fails, changing nothing, and
 * the next plan weighs the removal afresh.
 */
export const hapgRemoveMember: ActionHandler<'hapg.removeMember'> = {
  describe: () => ({ doing: 'Removing member', done: 'Member removed' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hapg = findHapgOf(fleet, p);
    const hsm = findHsmOf(fleet, p);
    if (hapg === undefined || hsm === undefined || !hapg.members.some((m) => m.hsmArn === hsm.arn)) return ALREADY_THERE;
    if (!action.destructive) {
      const only = onlyCopies(fleet, hapg, hsm.arn);
      if (only > 0) {
        throw new UserError(
          'apply.unsafe',
          `hsm ${p.hsmName} now holds ${only} key object${only === 1 ? '' : 's'} no other member of hapg ${p.hapgLabel} holds (written since the plan was made), so it stays; run "hsmctl plan" again`,
        );
      }
    }
    await ctx.driver.removeHsmFromHapg({ hsmArn: hsm.arn, hapgArn: hapg.arn });
    return 'removed';
  },
};

/** How many objects of the member on `hsmArn` no other member of the group holds (0 when the device lists no handles). */
function onlyCopies(fleet: ObservedFleet, hapg: Hapg, hsmArn: string): number {
  const handlesOf = (arn: string, partitionName: string) =>
    fleet.hsms.find((h) => h.arn === arn)?.partitions.find((x) => x.name === partitionName)?.objectHandles;
  const member = hapg.members.find((m) => m.hsmArn === hsmArn)!;
  const mine = handlesOf(hsmArn, member.partitionName) ?? [];
  const elsewhere = new Set(hapg.members.filter((m) => m !== member).flatMap((m) => handlesOf(m.hsmArn, m.partitionName) ?? []));
  return mine.filter((handle) => !elsewhere.has(handle)).length;
}

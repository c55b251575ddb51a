import { desiredHapg, desiredHsm, memberPartition, requireHapgOf, requireHsmOf, requireReachable } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `add-hsm-to-hapg`: creates the group's partition on the HSM, which needs an SO login, so it runs
 * under the SO guard (attempts left, one refusal per HSM, one login at a time). Done when the
 * group lists the HSM and the HSM holds the member partition.
 */
export const hapgAddMember: ActionHandler<'hapg.addMember'> = {
  describe: () => ({ doing: 'Adding member', done: 'Member added' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hsm = requireReachable(requireHsmOf(fleet, p), p.hsmName);
    const hapg = requireHapgOf(fleet, p);
    const partition = memberPartition(hapg, hsm);
    if (partition !== undefined && hsm.partitions.some((x) => x.name === partition)) return ALREADY_THERE;
    const d = desiredHsm(ctx, p.hsmName);
    const attemptsLeft = async (): Promise<number> => {
      const now = requireHsmOf(await ctx.observe(), { hsmName: p.hsmName, hsmArn: hsm.arn });
      return now.soLoginAttemptsLeft;
    };
    await ctx.soGuard.run({ arn: hsm.arn, name: p.hsmName, soPassword: d.soPassword }, attemptsLeft, () =>
      ctx.driver.addHsmToHapg({
        hsmArn: hsm.arn,
        hapgArn: hapg.arn,
        cloningDomain: d.cloningDomain.reveal(),
        partitionPassword: desiredHapg(ctx, p.hapgLabel).partitionPassword.reveal(),
        soPassword: d.soPassword.reveal(),
      }),
    );
    return 'added';
  },
};

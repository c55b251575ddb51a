import { UserError } from '../../errors.js';
import { isManaged, managedTags, PROTECT_TAG, PROTECT_VALUE } from '../../fleet/tags.js';
import { desiredHsm, managedHsm } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `hsm.create`: the client token that makes a retried `create-hsm` return the same HSM. */
export function clientTokenOf(hsmName: string): string {
  return `hsmctl-${hsmName}`;
}

/**
 * `create-hsm`, tagged as managed under the HSM's name, with a client token derived from that
 * name: if a run dies after CloudHSM accepted the call but before anything was recorded, the next
 * run finds the HSM by its tags, or the same token gives the same HSM back. An HSM declared
 * `protect: true` is born with the `hsmctl:protect` tag, so it is never unprotected for a moment.
 * Complete once provisioning is over (RUNNING), as a Terraform create is.
 */
export const hsmCreate: ActionHandler<'hsm.create'> = {
  describe: () => ({ doing: 'Creating', done: 'Creation complete' }),
  async apply(action, ctx) {
    const p = action.params;
    const existing = managedHsm(await ctx.observe(), p.hsmName);
    if (existing !== undefined) {
      if (existing.status === 'PENDING') await ctx.waitUntilProvisioned(existing.arn, p.hsmName);
      return ALREADY_THERE;
    }
    const d = desiredHsm(ctx, p.hsmName);
    const { hsmArn } = await ctx.driver.createHsm({
      clientToken: clientTokenOf(p.hsmName),
      availabilityZone: p.availabilityZone,
      ...(p.subnetId !== undefined ? { subnetId: p.subnetId } : {}),
      ...(d.sshPublicKey !== undefined ? { sshPublicKey: d.sshPublicKey.reveal() } : {}),
      ...(p.syslogIp !== undefined ? { syslogIp: p.syslogIp } : {}),
      tags: { ...managedTags(p.hsmName), ...(p.protect === true ? { [PROTECT_TAG]: PROTECT_VALUE } : {}) },
    });
    const made = (await ctx.observe()).hsms.find((h) => h.arn === hsmArn);
    if (made !== undefined && !isManaged(made.tags)) {
      throw new UserError(
        'apply.tokenTaken',
        `create-hsm returned ${hsmArn} for client token ${clientTokenOf(p.hsmName)}, an HSM hsmctl does not manage (its tags were removed); ` +
          `hsmctl will not take it over. Tag it back (hsmctl:managed-by=hsmctl, hsmctl:name=${p.hsmName}) or delete it, then apply again`,
      );
    }
    await ctx.waitUntilProvisioned(hsmArn, p.hsmName);
    return 'created';
  },
};

import { UserError } from '../../errors.js';
import type { HaSettings } from '../../fleet/types.js';
import { HA_POLICY_TAG, haPolicyTagValue } from '../plan/index.js';
import { findClient } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `vtl haAdmin -autoRecovery -retry N -interval S` (or `-disable`), then the `hsmctl:auto-recovery`
 * tag on the control-plane client recording what hsmctl applied, so that a later change by hand
 * shows up as drift. Done when both are in place.
 */
export const clientSetAutoRecovery: ActionHandler<'client.setAutoRecovery'> = {
  describe: () => ({ doing: 'Setting autoRecovery', done: 'autoRecovery set' }),
  async apply(action, ctx) {
    const p = action.params;
    const client = findClient(await ctx.observe(), p.clientName);
    if (client === undefined) throw new UserError('apply.missing', `client ${p.clientName} does not exist; run "hsmctl plan" to see why`);
    const wanted = { autoRecovery: p.autoRecovery, retry: p.retry, interval: p.interval };
    const tag = haPolicyTagValue(wanted);
    const settingsOk = same(wanted, client.ha);
    const tagOk = client.arn === null || client.tags[HA_POLICY_TAG] === tag;
    if (settingsOk && tagOk) return ALREADY_THERE;
    if (!settingsOk) await ctx.driver.setHaSettings({ clientName: p.clientName, settings: { ...wanted, haOnly: client.ha.haOnly } });
    if (client.arn !== null) await ctx.driver.addTags(client.arn, { [HA_POLICY_TAG]: tag });
    return 'configured';
  },
};

/** Retry and interval only matter while autoRecovery is on. */
function same(wanted: { autoRecovery: boolean; retry: number; interval: number }, ha: HaSettings): boolean {
  return wanted.autoRecovery === ha.autoRecovery && (!wanted.autoRecovery || (wanted.retry === ha.retry && wanted.interval === ha.interval));
}

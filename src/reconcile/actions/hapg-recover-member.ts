import { UserError } from '../../errors.js';
import { findClient } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `vtl haAdmin -recover -group G -serial S`: manual recovery of a member that exhausted its
 * automatic retries. Done when the client already sees the member alive.
 */
export const hapgRecoverMember: ActionHandler<'hapg.recoverMember'> = {
  describe: () => ({ doing: 'Recovering member', done: 'Member recovered' }),
  async apply(action, ctx) {
    const p = action.params;
    const client = findClient(await ctx.observe(), p.clientName);
    if (client === undefined) throw new UserError('apply.missing', `client ${p.clientName} does not exist; run "hsmctl plan" to see why`);
    const member = client.haStatus.find((g) => g.hapgLabel === p.hapgLabel)?.members.find((m) => m.hsmSerial === p.hsmSerial);
    if (member?.state === 'alive') return ALREADY_THERE;
    await ctx.driver.recoverMember({ clientName: p.clientName, hapgLabel: p.hapgLabel, hsmSerial: p.hsmSerial });
    return 'recovered';
  },
};

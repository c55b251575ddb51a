import { requireClientArn, requireHapgOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/** `register-client-to-hapg`: done when the control plane has the client registered to the group. */
export const hapgRegisterClient: ActionHandler<'hapg.registerClient'> = {
  describe: () => ({ doing: 'Registering client', done: 'Client registered' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const hapg = requireHapgOf(fleet, p);
    const { client, arn } = requireClientArn(fleet, p.clientName);
    if (hapg.registeredClientArns.includes(arn) && client.hapgArns.includes(hapg.arn)) return ALREADY_THERE;
    await ctx.driver.registerClientToHapg({ clientArn: arn, hapgArn: hapg.arn });
    return 'registered';
  },
};

import { managedTags } from '../../fleet/tags.js';
import { managedHapg } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `create-hapg --group-label`, tagged as managed (in the same call, so a HAPG hsmctl made is
 * always found by its tags, even after a crash). Done when a managed HAPG of that label exists.
 */
export const hapgCreate: ActionHandler<'hapg.create'> = {
  describe: () => ({ doing: 'Creating', done: 'Creation complete' }),
  async apply(action, ctx) {
    const label = action.params.hapgLabel;
    if (managedHapg(await ctx.observe(), label) !== undefined) return ALREADY_THERE;
    await ctx.driver.createHapg({ label, tags: managedTags(label) });
    return 'created';
  },
};

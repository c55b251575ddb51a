import { isProtected, PROTECT_TAG, PROTECT_VALUE } from '../../fleet/tags.js';
import { requireHsmOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `add-tags-to-resource` (protect) or `remove-tags-from-resource` (no longer protect) of the
 * `hsmctl:protect` tag on the HSM: what keeps a protected HSM protected once its block has left
 * the configuration. Done when the tag is as wanted.
 */
export const hsmSetProtection: ActionHandler<'hsm.setProtection'> = {
  describe: (action) =>
    action.params.protect ? { doing: 'Protecting', done: 'Protection recorded' } : { doing: 'Removing protection', done: 'Protection removed' },
  async apply(action, ctx) {
    const p = action.params;
    const hsm = requireHsmOf(await ctx.observe(), p);
    if (isProtected(hsm.tags) === p.protect) return ALREADY_THERE;
    if (p.protect) await ctx.driver.addTags(hsm.arn, { [PROTECT_TAG]: PROTECT_VALUE });
    else await ctx.driver.removeTags(hsm.arn, [PROTECT_TAG]);
    return 'configured';
  },
};

import { isProtected, PROTECT_TAG } from '../../fleet/tags.js';
import { addAction, type Draft } from './draft.js';
import type { HsmFacts } from './facts.js';

/**
 * `protect: true` is also recorded with the HSM, as `PROTECT_TAG` (a tag of its CloudHSM
 * resource): once its block has left the configuration, that tag is all that says it is
 * protected (`safety.ts` reads it). A new HSM gets the tag when it is created (`hsm.create`);
 * this keeps the tag of an existing, declared HSM in step with its configuration, also while the
 * device does not answer (tags are the control plane's).
 */
export function planProtection(draft: Draft, h: HsmFacts): void {
  const o = h.observed!;
  const wanted = h.desired!.protect;
  const tagged = isProtected(o.tags);
  if (tagged === wanted) return;
  addAction(draft, 'hsm.setProtection', {
    change: 'update',
    reason: wanted
      ? `hsm ${h.name} is declared with protect: true; the ${PROTECT_TAG} tag records it on the device, so the HSM stays protected if its block is removed`
      : `hsm ${h.name} is declared with protect: false, but its ${PROTECT_TAG} tag still protects it`,
    before: { protect: tagged },
    after: { protect: wanted },
    params: { hsmName: h.name, hsmArn: o.arn, protect: wanted },
  });
}

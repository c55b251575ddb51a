import type { Tags } from '../../fleet/types.js';
import { invalidRequest, notFound } from '../errors.js';
import type { Ctx } from '../world/world.js';

/** `add-tags-to-resource` / `remove-tags-from-resource` on HSMs, HAPGs and clients, by ARN. */

/** Throws unless every tag fits the API's limits (key 1..128, value 0..256 characters). */
export function checkTags(tags: Tags): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw invalidRequest(`Invalid tag key "${key}": 1 to 128 characters.`);
    if (value.length > 256) throw invalidRequest(`Invalid value for tag "${key}": at most 256 characters.`);
    if (key.startsWith('aws:')) throw invalidRequest(`Tag keys starting with "aws:" are reserved.`);
  }
}

function taggable(ctx: Ctx, arn: string): { tags: Tags } {
  const { world } = ctx;
  const found =
    Object.values(world.hsms).find((h) => h.arn === arn) ??
    Object.values(world.hapgs).find((g) => g.arn === arn) ??
    Object.values(world.clients).find((c) => c.arn === arn);
  if (found === undefined) throw notFound('Resource', arn);
  return found;
}

/** Adds tags, overwriting the values of keys already there. */
export function addTags(ctx: Ctx, resourceArn: string, tags: Tags): void {
  checkTags(tags);
  const resource = taggable(ctx, resourceArn);
  resource.tags = { ...resource.tags, ...tags };
}

/** Removes the tags with these keys (absent keys are ignored). */
export function removeTags(ctx: Ctx, resourceArn: string, keys: string[]): void {
  const resource = taggable(ctx, resourceArn);
  resource.tags = Object.fromEntries(Object.entries(resource.tags).filter(([key]) => !keys.includes(key)));
}

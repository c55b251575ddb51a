import type { ObservedFleet, Tags } from '../../../fleet/types.js';
import { findClient, findHapg, findHsm } from '../../../fleet/resolve.js';
import { invalidRequest, type CloudHsmCommand } from './command.js';

/**
 * CloudHSM CLI tag commands: add-tags-to-resource (adds or overwrites), list-tags-for-resource,
 * remove-tags-from-resource. Tags are given in the AWS CLI's shorthand (`Key=k,Value=v …`) or as
 * JSON (`[{"Key":"k","Value":"v"}]`).
 */

/** The resource an ARN names and its tags. */
function tagged(fleet: ObservedFleet, ref: string): { arn: string; tags: Tags } {
  const resource = findHsm(fleet, ref) ?? findHapg(fleet, ref) ?? findClient(fleet, ref);
  if (!resource || resource.arn === null) invalidRequest(`Resource ${ref} not found`);
  return { arn: resource.arn, tags: resource.tags };
}

/** Reads `--tag-list` values. */
export function parseTagList(items: string[]): Tags {
  const tags: Tags = {};
  const joined = items.join(' ').trim();
  if (joined.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(joined);
    } catch {
      invalidRequest('--tag-list is not valid JSON.');
    }
    if (!Array.isArray(parsed)) invalidRequest('--tag-list must be a JSON list of {"Key": …, "Value": …}.');
    for (const entry of parsed as unknown[]) {
      const { Key, Value } = (entry ?? {}) as { Key?: unknown; Value?: unknown };
      if (typeof Key !== 'string' || typeof Value !== 'string') invalidRequest('Each tag needs a string Key and a string Value.');
      tags[Key] = Value;
    }
    return tags;
  }
  for (const item of items) {
    const match = /^Key=([^,]*),Value=(.*)$/.exec(item);
    if (match === null) invalidRequest('Tags are written Key=<key>,Value=<value> (or as JSON).');
    tags[match[1] ?? ''] = match[2] ?? '';
  }
  return tags;
}

const addTags: CloudHsmCommand = {
  name: 'add-tags-to-resource',
  operation: 'AddTagsToResource',
  options: [
    { name: 'resource-arn', kind: 'value', required: true },
    { name: 'tag-list', kind: 'list', required: true },
  ],
  async run(context, args) {
    const { arn } = tagged(await context.emulator.describe(), args.values.get('resource-arn') ?? '');
    await context.emulator.addTags(arn, parseTagList(args.lists.get('tag-list') ?? []));
    return { Status: 'SUCCESS' };
  },
};

const listTags: CloudHsmCommand = {
  name: 'list-tags-for-resource',
  operation: 'ListTagsForResource',
  options: [{ name: 'resource-arn', kind: 'value', required: true }],
  async run(context, args) {
    const { tags } = tagged(await context.emulator.describe(), args.values.get('resource-arn') ?? '');
    return { TagList: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
  },
};

const removeTags: CloudHsmCommand = {
  name: 'remove-tags-from-resource',
  operation: 'RemoveTagsFromResource',
  options: [
    { name: 'resource-arn', kind: 'value', required: true },
    { name: 'tag-key-list', kind: 'list', required: true },
  ],
  async run(context, args) {
    const { arn } = tagged(await context.emulator.describe(), args.values.get('resource-arn') ?? '');
    await context.emulator.removeTags(arn, args.lists.get('tag-key-list') ?? []);
    return { Status: 'SUCCESS' };
  },
};

/** The tag commands. */
export const tagCommands: CloudHsmCommand[] = [addTags, listTags, removeTags];

import { text } from '../entries.js';
import type { Entry } from '../entries.js';
import { duplicates } from './duplicates.js';
import type { Rule } from './types.js';

function labelOf(entry: Entry) {
  const label = text(entry, 'label');
  if (label !== undefined) return { value: label, segs: ['label'] };
  const name = text(entry, 'name');
  return name === undefined ? undefined : { value: name, segs: ['name'] };
}

/**
 * Each HSM's device label (its name unless set) is unique. Two HSMs that share a name and set no
 * label are left to the name rule, so one mistake is reported once.
 */
export const uniqueHsmLabels: Rule = {
  name: 'unique-hsm-labels',
  check: (ctx) =>
    duplicates(ctx.entries.hsms, labelOf, 'HSM label', (a, b) => text(a, 'label') === undefined && text(b, 'label') === undefined),
};

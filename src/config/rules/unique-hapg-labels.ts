import { text } from '../entries.js';
import { duplicates } from './duplicates.js';
import type { Rule } from './types.js';

/** Each HAPG label is declared once across all files. */
export const uniqueHapgLabels: Rule = {
  name: 'unique-hapg-labels',
  check: (ctx) =>
    duplicates(ctx.entries.hapgs, (e) => {
      const value = text(e, 'label');
      return value === undefined ? undefined : { value, segs: ['label'] };
    }, 'HAPG label'),
};

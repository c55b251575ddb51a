import { text } from '../entries.js';
import { duplicates } from './duplicates.js';
import type { Rule } from './types.js';

/** Each HSM name is declared once across all files. */
export const uniqueHsmNames: Rule = {
  name: 'unique-hsm-names',
  check: (ctx) =>
    duplicates(ctx.entries.hsms, (e) => {
      const value = text(e, 'name');
      return value === undefined ? undefined : { value, segs: ['name'] };
    }, 'HSM name'),
};

import { text } from '../entries.js';
import { duplicates } from './duplicates.js';
import type { Rule } from './types.js';

/** Each client name is declared once across all files. */
export const uniqueClientNames: Rule = {
  name: 'unique-client-names',
  check: (ctx) =>
    duplicates(ctx.entries.clients, (e) => {
      const value = text(e, 'name');
      return value === undefined ? undefined : { value, segs: ['name'] };
    }, 'client name'),
};

import type { Diagnostic } from '../diagnostic.js';
import { diagnosticAt, strings } from '../entries.js';
import { didYouMean, nearest } from '../suggest.js';
import type { Rule } from './types.js';

/** Every HAPG member names a declared HSM; the nearest name is suggested. */
export const hapgMembersExist: Rule = {
  name: 'hapg-members-exist',
  check(ctx) {
    if (!ctx.complete) return [];
    const out: Diagnostic[] = [];
    for (const hapg of ctx.entries.hapgs) {
      for (const { value, index } of strings(hapg, 'members')) {
        if (ctx.hsmByName.has(value)) continue;
        const suggestion = nearest(value, ctx.hsmByName.keys());
        const options = suggestion === undefined ? {} : { suggestion };
        out.push(diagnosticAt(hapg, 'error', ['members', index], `unknown HSM "${value}"${didYouMean(suggestion)}`, options));
      }
    }
    return out;
  },
};

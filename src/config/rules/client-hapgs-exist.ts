import type { Diagnostic } from '../diagnostic.js';
import { diagnosticAt, strings } from '../entries.js';
import { didYouMean, nearest } from '../suggest.js';
import type { Rule } from './types.js';

/** Every HAPG a client is registered to is declared; the nearest label is suggested. */
export const clientHapgsExist: Rule = {
  name: 'client-hapgs-exist',
  check(ctx) {
    if (!ctx.complete) return [];
    const out: Diagnostic[] = [];
    for (const client of ctx.entries.clients) {
      for (const { value, index } of strings(client, 'hapgs')) {
        if (ctx.hapgByLabel.has(value)) continue;
        const suggestion = nearest(value, ctx.hapgByLabel.keys());
        const options = suggestion === undefined ? {} : { suggestion };
        out.push(diagnosticAt(client, 'error', ['hapgs', index], `unknown HAPG "${value}"${didYouMean(suggestion)}`, options));
      }
    }
    return out;
  },
};

import type { Diagnostic } from '../diagnostic.js';
import { diagnosticAt, strings, text } from '../entries.js';
import type { Secret } from '../secret.js';
import type { Rule } from './types.js';

/**
 * All members of a HAPG share one cloning domain: the device refuses to add a member of another
 * domain. Resolved values are compared (two references may name the same value); the message
 * names the HSMs, never the domains.
 */
export const oneCloningDomain: Rule = {
  name: 'one-cloning-domain',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const hapg of ctx.entries.hapgs) {
      let reference: { name: string; domain: Secret } | undefined;
      const label = text(hapg, 'label') ?? '?';
      const seen = new Set<string>();
      for (const { value: name, index } of strings(hapg, 'members')) {
        if (seen.has(name)) continue;
        seen.add(name);
        const domain = ctx.hsmByName.get(name)?.secrets?.get('cloningDomain');
        if (domain === undefined) continue;
        if (reference === undefined) reference = { name, domain };
        else if (domain !== reference.domain && !domain.equals(reference.domain)) {
          const message = `${name}'s cloning domain differs from ${reference.name}'s (HAPG "${label}" needs one cloning domain)`;
          out.push(diagnosticAt(hapg, 'error', ['members', index], message));
        }
      }
    }
    return out;
  },
};

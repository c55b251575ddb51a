import type { Diagnostic } from '../diagnostic.js';
import { diagnosticAt, strings, text } from '../entries.js';
import type { Entry } from '../entries.js';
import { effectivePolicy } from '../policy.js';
import type { Rule } from './types.js';

/**
 * Warning: a client with autoRecovery on (its effective policy) is registered to a HAPG of fewer
 * than two members, where recovery never happens.
 */
export const autoRecoveryNeedsTwo: Rule = {
  name: 'auto-recovery-needs-two-members',
  check(ctx) {
    const out: Diagnostic[] = [];
    const memberCounts = new Map<Entry, number>();
    const membersOf = (hapg: Entry) => {
      let count = memberCounts.get(hapg);
      if (count === undefined) {
        count = new Set(strings(hapg, 'members').map((m) => m.value)).size;
        memberCounts.set(hapg, count);
      }
      return count;
    };
    for (const client of ctx.entries.clients) {
      if (!effectivePolicy(client.value.autoRecovery, ctx.globalPolicy).enabled) continue;
      for (const { value: label, index } of strings(client, 'hapgs')) {
        const hapg = ctx.hapgByLabel.get(label);
        if (hapg === undefined) continue;
        const members = membersOf(hapg);
        if (members === 0 || members >= 2) continue;
        const message = `autoRecovery is on for client "${text(client, 'name') ?? '?'}" but HAPG "${label}" has only ${members} member; recovery needs at least two`;
        out.push(diagnosticAt(client, 'warning', ['hapgs', index], message));
      }
    }
    return out;
  },
};

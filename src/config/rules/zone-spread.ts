import type { Diagnostic } from '../diagnostic.js';
import { diagnosticAt, strings, text } from '../entries.js';
import type { Rule } from './types.js';

/** Warning: every member of a HAPG of two or more sits in one availability zone. */
export const zoneSpread: Rule = {
  name: 'zone-spread',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const hapg of ctx.entries.hapgs) {
      const names = new Set(strings(hapg, 'members').map((m) => m.value));
      if (names.size < 2) continue;
      const zones = new Set<string | undefined>();
      for (const name of names) {
        const hsm = ctx.hsmByName.get(name);
        zones.add(hsm === undefined ? undefined : text(hsm, 'availabilityZone'));
      }
      const [zone] = zones;
      if (zones.size !== 1 || zone === undefined) continue;
      const message = `all ${names.size} members of HAPG "${text(hapg, 'label') ?? '?'}" are in ${zone}; one zone outage would take the whole group down`;
      out.push(diagnosticAt(hapg, 'warning', ['members'], message));
    }
    return out;
  },
};

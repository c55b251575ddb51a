import { listedOnce } from './listed-once.js';
import type { Rule } from './types.js';

/** A client lists each HAPG it is registered to once. */
export const uniqueClientHapgs: Rule = {
  name: 'unique-client-hapgs',
  check: (ctx) => listedOnce(ctx.entries.clients, 'hapgs', 'HAPG'),
};

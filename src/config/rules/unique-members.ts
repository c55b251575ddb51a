import { listedOnce } from './listed-once.js';
import type { Rule } from './types.js';

/** A HAPG lists each member once (an HSM holds one partition of a group). */
export const uniqueMembers: Rule = {
  name: 'unique-members',
  check: (ctx) => listedOnce(ctx.entries.hapgs, 'members', 'member'),
};

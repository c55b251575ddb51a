import type { Rule } from './types.js';

/** The global autoRecovery policy is declared in one file only; repeats point at their key. */
export const singleAutoRecovery: Rule = {
  name: 'single-auto-recovery',
  check(ctx) {
    const [first, ...others] = ctx.entries.autoRecovery;
    if (first === undefined) return [];
    const cite = first.file.where(first.segs, true);
    return others.map((entry) =>
      entry.file.diagnostic('error', entry.segs, `autoRecovery is defined more than once (first defined at ${cite})`, { key: true }),
    );
  },
};

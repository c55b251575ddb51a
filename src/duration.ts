import { UserError } from './errors.js';

/**
 * Durations on the command line (`emu advance 5m`, `emu latency 50ms`, `watch --interval 2s`,
 * `--lock-timeout 1m`): one or more `<integer><unit>` parts in decreasing order, units `ms`, `s`,
 * `m`, `h`, `d`, e.g. `90s`, `1h30m`, `500ms`. A bare `0` is allowed; any other bare number is
 * refused, because guessing the unit is how a 5-minute wait becomes a 5-hour one.
 */

/** Milliseconds per unit, largest first (the order parts must come in). */
const UNITS: ReadonlyArray<readonly [unit: string, ms: number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

const PART = /(\d+)(ms|d|h|m|s)/y;

/** Parses a duration such as `90s`, `5m`, `2h`, `1h30m` or `500ms` into milliseconds. */
export function parseDuration(text: string): number {
  const input = text.trim();
  const bad = (why: string) =>
    new UserError('duration.invalid', `invalid duration "${text}": ${why} (examples: 500ms, 90s, 5m, 1h30m)`);
  if (input === '') throw bad('it is empty');
  if (input === '0') return 0;
  if (/^\d+$/.test(input)) throw bad('a unit is missing');
  let total = 0;
  let lastRank = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const at = PART.lastIndex;
    const match = PART.exec(input);
    if (match === null || match.index !== at) throw bad(`cannot read "${input.slice(at)}"`);
    const [, digits = '', unit = ''] = match;
    const rank = UNITS.findIndex(([u]) => u === unit);
    if (rank <= lastRank) throw bad('units must go from largest to smallest, each once');
    lastRank = rank;
    total += Number(digits) * (UNITS[rank]?.[1] ?? 0);
  }
  if (!Number.isSafeInteger(total)) throw bad('it is too long');
  return total;
}

/** Renders milliseconds the way `parseDuration` reads them: `1h30m`, `90s` → `1m30s`, `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration: ${ms}`);
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

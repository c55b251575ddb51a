import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/duration.js';
import { UserError } from '../../src/errors.js';

/** The duration syntax shared by `emu advance`, `emu latency` and the other commands that wait. */
describe('parseDuration', () => {
  it.each([
    { text: '500ms', ms: 500 },
    { text: '90s', ms: 90_000 },
    { text: '5m', ms: 300_000 },
    { text: '2h', ms: 7_200_000 },
    { text: '1h30m', ms: 5_400_000 },
    { text: '1d2h', ms: 93_600_000 },
    { text: '1m30s250ms', ms: 90_250 },
    { text: ' 15s ', ms: 15_000 },
    { text: '0', ms: 0 },
    { text: '0s', ms: 0 },
  ])('reads $text as $ms ms', ({ text, ms }) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    { text: '', why: 'it is empty' },
    { text: '90', why: 'a unit is missing' },
    { text: '5 m', why: 'cannot read "5 m"' },
    { text: '1.5h', why: 'cannot read "1.5h"' },
    { text: '-5m', why: 'cannot read "-5m"' },
    { text: '5x', why: 'cannot read "5x"' },
    { text: '30m1h', why: 'units must go from largest to smallest' },
    { text: '1m1m', why: 'units must go from largest to smallest' },
    { text: 'soon', why: 'cannot read "soon"' },
    { text: '1h5', why: 'cannot read "5"' },
  ])('refuses "$text": $why', ({ text, why }) => {
    let caught: unknown;
    try {
      parseDuration(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).code).toBe('duration.invalid');
    expect((caught as UserError).message).toContain(why);
  });
});

describe('formatDuration', () => {
  it.each([
    { ms: 0, text: '0s' },
    { ms: 500, text: '500ms' },
    { ms: 90_000, text: '1m30s' },
    { ms: 5_400_000, text: '1h30m' },
    { ms: 86_400_001, text: '1d1ms' },
  ])('writes $ms ms as $text', ({ ms, text }) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('refuses a negative duration', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
  });

  it('round-trips through parseDuration for any whole number of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (ms) => parseDuration(formatDuration(ms)) === ms),
    );
  });
});

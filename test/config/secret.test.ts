import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/index.js';

const VALUE = 'zq-very-secret-value';

describe('Secret', () => {
  const secret = new Secret(VALUE, { env: 'HSM_SO_PASSWORD' });

  it('reveals its value only when asked', () => {
    expect(secret.reveal()).toBe(VALUE);
  });

  it.each([
    ['String()', () => String(secret)],
    ['template literal', () => `${secret}`],
    ['JSON.stringify', () => JSON.stringify({ soPassword: secret })],
    ['util.inspect', () => inspect(secret)],
    ['util.inspect nested, showHidden', () => inspect({ deep: { secret } }, { showHidden: true, depth: 10 })],
    ['Object.entries', () => JSON.stringify(Object.entries(secret))],
    ['spread', () => JSON.stringify({ ...secret })],
  ])('never shows the value through %s', (_how, show) => {
    const shown = show();
    expect(shown).not.toContain(VALUE);
    expect(shown).toMatch(/\(sensitive\)|HSM_SO_PASSWORD/);
  });

  it('shows its reference, which holds no value', () => {
    expect(secret.ref).toEqual({ env: 'HSM_SO_PASSWORD' });
    expect(secret.describe()).toBe('env HSM_SO_PASSWORD');
    expect(new Secret(VALUE, { file: 'keys/so.txt' }).describe()).toBe('file keys/so.txt');
    expect(JSON.stringify({ secret })).toBe('{"secret":"(sensitive)"}');
  });

  it('compares values, not references', () => {
    expect(secret.equals(new Secret(VALUE, { file: 'elsewhere.txt' }))).toBe(true);
    expect(secret.equals(new Secret(`${VALUE}x`, { env: 'HSM_SO_PASSWORD' }))).toBe(false);
    expect(secret.equals(new Secret('', { env: 'HSM_SO_PASSWORD' }))).toBe(false);
  });

  it('keeps a frozen copy of its reference', () => {
    const ref = { env: 'A' };
    const s = new Secret(VALUE, ref);
    ref.env = 'B';
    expect(s.ref).toEqual({ env: 'A' });
    expect(Object.isFrozen(s.ref)).toBe(true);
  });
});

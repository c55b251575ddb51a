import { scryptSync } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hashAhead, hashSecret, verifySecret } from '../../src/emulator/world/secrets.js';
import { CLONING_DOMAIN, initializedHsm, testWorld } from './fixtures.js';

vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return { ...crypto, scryptSync: vi.fn(crypto.scryptSync) };
});

/** How many scrypt computations ran since the test began. */
const scrypts = (): number => vi.mocked(scryptSync).mock.calls.length;

/**
 * The emulator remembers, in memory, the checks of a presented secret against a stored salted
 * hash it already made, so that every watch pass does not pay scrypt per HSM again. A wrong
 * secret must still be told apart, and a changed hash record (a device re-initialized, a state
 * file edited) must be checked afresh.
 */
describe('secret checks already made', () => {
  beforeEach(() => {
    vi.mocked(scryptSync).mockClear();
  });

  it('are answered again without scrypt, and a wrong value is still wrong', () => {
    const stored = hashSecret('right value');
    const checks = [verifySecret('right value', stored), verifySecret('wrong value', stored), verifySecret('right value', stored), verifySecret('wrong value', stored)];
    expect(checks).toEqual([true, false, true, false]);
    expect(scrypts()).toBe(1 + 1); // the hash (which vouches for its own value), then the wrong value once
  });

  it('use hashes made ahead off the main thread, each once, each with its own salt, each a real hash of its value', async () => {
    await hashAhead(['made ahead', 'made ahead']);
    const [a, b] = [hashSecret('made ahead'), hashSecret('made ahead')];
    expect(scrypts()).toBe(0);
    hashSecret('made ahead'); // none left: made here
    expect(scrypts()).toBe(1);
    expect(a.salt).not.toBe(b.salt);
    for (const record of [a, b]) {
      expect(scryptSync('made ahead', Buffer.from(record.salt, 'hex'), 32, { N: record.n, r: 8, p: 1 }).toString('hex')).toBe(record.hash);
    }
  });

  it.each([
    { name: 'another salt (the device re-initialized with the same value)', change: (s: ReturnType<typeof hashSecret>) => ({ ...s, salt: hashSecret('x').salt }), expected: false },
    { name: 'another hash (the record edited)', change: (s: ReturnType<typeof hashSecret>) => ({ ...s, hash: s.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) }), expected: false },
    { name: 'a record of another value', change: () => hashSecret('another value'), expected: false },
  ])('are made afresh against $name', ({ change, expected }) => {
    const stored = hashSecret('right value');
    expect(verifySecret('right value', stored)).toBe(true);
    const changed = change(stored);
    const before = scrypts();
    expect(verifySecret('right value', changed)).toBe(expected);
    expect(scrypts()).toBeGreaterThan(before);
  });

  it('need no scrypt against a record made here from the same value', () => {
    const fresh = hashSecret('right value');
    const before = scrypts();
    expect(verifySecret('right value', fresh)).toBe(true);
    expect(scrypts()).toBe(before);
  });

  it('follow the device: a domain changed on the HSM is noticed at the next check', async () => {
    const { emu } = testWorld();
    const arn = await initializedHsm(emu, 'hsm-a');
    expect(await emu.verifyCloningDomain(arn, CLONING_DOMAIN)).toBe(true);
    expect(await emu.verifyCloningDomain(arn, CLONING_DOMAIN)).toBe(true);
    await emu.zeroizeHsm(arn);
    expect(await emu.verifyCloningDomain(arn, CLONING_DOMAIN)).toBe(false);
    await emu.initializeHsm({ hsmArn: arn, label: 'hsm-a', cloningDomain: 'another domain', soPassword: 'so-Another-1234' });
    expect(await emu.verifyCloningDomain(arn, CLONING_DOMAIN)).toBe(false);
    expect(await emu.verifyCloningDomain(arn, 'another domain')).toBe(true);
    await emu.zeroizeHsm(arn);
    await emu.initializeHsm({ hsmArn: arn, label: 'hsm-a', cloningDomain: CLONING_DOMAIN, soPassword: 'so-Another-1234' });
    expect(await emu.verifyCloningDomain(arn, CLONING_DOMAIN)).toBe(true);
    expect(await emu.verifyCloningDomain(arn, 'another domain')).toBe(false);
  });
});

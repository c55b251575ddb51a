import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { SecretHash } from './types.js';

/**
 * Secrets (SO passwords, partition passwords, cloning domains) are never kept: only a salted
 * scrypt hash, against which a presented value can be checked. The cost is small but real so that
 * tests that initialize many HSMs stay fast.
 */

const COST_N = 1024;
const KEY_LENGTH = 32;

/** A salted hash of `secret`. */
export function hashSecret(secret: string): SecretHash {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, KEY_LENGTH, { N: COST_N, r: 8, p: 1 });
  return { salt: salt.toString('hex'), hash: hash.toString('hex'), n: COST_N };
}

/**
 * Checks already made in this process, so that the reconciler's repeated checks of one value
 * against one stored hash (every observe, every SO login of an apply) pay scrypt once. Kept in
 * memory only, keyed by an HMAC (under a key drawn per process, never kept anywhere) of the whole
 * stored record and the presented value: another value, or a record changed in any way (a device
 * re-initialized, a state file edited), is another key and is checked afresh. Bounded.
 */
const verified = new Map<string, boolean>();
const VERIFIED_MAX = 4096;
const CACHE_KEY = randomBytes(32);

/** Whether `secret` is the value `stored` was made from (constant-time comparison). */
export function verifySecret(secret: string, stored: SecretHash): boolean {
  const key = createHmac('sha256', CACHE_KEY).update(`${stored.n}:${stored.salt}:${stored.hash}:`).update(secret).digest('base64');
  const known = verified.get(key);
  if (known !== undefined) return known;
  const expected = Buffer.from(stored.hash, 'hex');
  const actual = scryptSync(secret, Buffer.from(stored.salt, 'hex'), expected.length, { N: stored.n, r: 8, p: 1 });
  const result = timingSafeEqual(actual, expected);
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.set(key, result);
  return result;
}

import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
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

/** Whether `secret` is the value `stored` was made from (constant-time comparison). */
export function verifySecret(secret: string, stored: SecretHash): boolean {
  const expected = Buffer.from(stored.hash, 'hex');
  const actual = scryptSync(secret, Buffer.from(stored.salt, 'hex'), expected.length, { N: stored.n, r: 8, p: 1 });
  return timingSafeEqual(actual, expected);
}

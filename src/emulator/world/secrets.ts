import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { SecretHash } from './types.js';

/**
 * Secrets (SO passwords, partition passwords, cloning domains) are never kept: only a salted
 * scrypt hash, against which a presented value can be checked. The cost is small but real so that
 * tests that initialize many HSMs stay fast.
 *
 * Work on secrets is kept out of the store's critical section where it can be: an operation that
 * is about to store secrets has their hashes made ahead (`hashAhead`, on the thread pool, while it
 * waits out the emulated latency), and a hash made here is known to match the value it was made
 * from, so checking that value against it later costs no scrypt.
 */

const COST_N = 1024;
const KEY_LENGTH = 32;
const scryptAsync = promisify(scrypt) as (secret: string, salt: Buffer, length: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/**
 * In-memory keys of this process are HMACs under a key drawn per process and never kept anywhere:
 * they identify a value without holding it.
 */
const PROCESS_KEY = randomBytes(32);
const keyOf = (...parts: string[]): string => {
  const mac = createHmac('sha256', PROCESS_KEY);
  for (const part of parts) mac.update(part).update('\0');
  return mac.digest('base64');
};

/** Hashes made ahead, by the key of their secret; each is handed out once (its salt is its own). */
const ahead = new Map<string, SecretHash[]>();
const AHEAD_MAX = 256;
let aheadCount = 0;

/** Makes a salted hash of each value, off the main thread, for the next `hashSecret` of that value. */
export async function hashAhead(secrets: readonly string[]): Promise<void> {
  await Promise.all(
    secrets.map(async (secret) => {
      const salt = randomBytes(16);
      const hash = await scryptAsync(secret, salt, KEY_LENGTH, { N: COST_N, r: 8, p: 1 });
      if (aheadCount >= AHEAD_MAX) {
        ahead.clear();
        aheadCount = 0;
      }
      const key = keyOf(secret);
      const list = ahead.get(key) ?? [];
      list.push({ salt: salt.toString('hex'), hash: hash.toString('hex'), n: COST_N });
      ahead.set(key, list);
      aheadCount += 1;
    }),
  );
}

/** A salted hash of `secret` (one made ahead for it, if any). */
export function hashSecret(secret: string): SecretHash {
  const key = keyOf(secret);
  const list = ahead.get(key);
  let stored = list?.pop();
  if (list !== undefined && list.length === 0) ahead.delete(key);
  if (stored !== undefined) aheadCount -= 1;
  else {
    const salt = randomBytes(16);
    const hash = scryptSync(secret, salt, KEY_LENGTH, { N: COST_N, r: 8, p: 1 });
    stored = { salt: salt.toString('hex'), hash: hash.toString('hex'), n: COST_N };
  }
  remember(stored, secret, true);
  return stored;
}

/**
 * Checks already made in this process, so that the reconciler's repeated checks of one value
 * against one stored hash (every observe, every SO login of an apply) pay scrypt once. Kept in
 * memory only, keyed by the key of the whole stored record and the presented value: another
 * value, or a record changed in any way (a device re-initialized, a state file edited), is another
 * key and is checked afresh. Bounded.
 */
const verified = new Map<string, boolean>();
const VERIFIED_MAX = 4096;

function remember(stored: SecretHash, secret: string, result: boolean): void {
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.set(keyOf(`${stored.n}:${stored.salt}:${stored.hash}`, secret), result);
}

/** Whether `secret` is the value `stored` was made from (constant-time comparison). */
export function verifySecret(secret: string, stored: SecretHash): boolean {
  const known = verified.get(keyOf(`${stored.n}:${stored.salt}:${stored.hash}`, secret));
  if (known !== undefined) return known;
  const expected = Buffer.from(stored.hash, 'hex');
  const actual = scryptSync(secret, Buffer.from(stored.salt, 'hex'), expected.length, { N: stored.n, r: 8, p: 1 });
  const result = timingSafeEqual(actual, expected);
  remember(stored, secret, result);
  return result;
}

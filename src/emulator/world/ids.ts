import { createHash } from 'node:crypto';
import type { WorldMeta } from './types.js';

/**
 * The world's deterministic id source: every draw hashes the world's seed with a counter kept in
 * `meta`, so a world created with a fixed seed hands out the same ARNs, serials and IPs every time
 * (golden files stay stable) while different worlds differ.
 */

/** `n` bytes from the world's id source (advances the counter). */
export function drawBytes(meta: WorldMeta, n: number): Buffer {
  const chunks: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const chunk = createHash('sha256').update(`${meta.seed}:${meta.counter}`).digest();
    meta.counter += 1;
    chunks.push(chunk);
    have += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, n);
}

/** `n` lowercase hex characters. */
export function drawHex(meta: WorldMeta, n: number): string {
  return drawBytes(meta, Math.ceil(n / 2)).toString('hex').slice(0, n);
}

/** `n` decimal digits, the first one not zero. */
export function drawDigits(meta: WorldMeta, n: number): string {
  const bytes = drawBytes(meta, n);
  return [...bytes].map((b, i) => (i === 0 ? 1 + (b % 9) : b % 10)).join('');
}

/** A value from `draw` that `taken` does not hold yet. */
export function drawUnique(draw: () => string, taken: (value: string) => boolean): string {
  for (;;) {
    const value = draw();
    if (!taken(value)) return value;
  }
}

/** The world's 12-digit account id. */
export function accountId(meta: WorldMeta): string {
  return drawDigits(meta, 12);
}

/** `arn:aws:cloudhsm:<region>:<account>:<id>`. */
export function arnOf(meta: WorldMeta, id: string): string {
  return `arn:aws:cloudhsm:${meta.region}:${meta.account}:${id}`;
}

/** Virtual time as ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

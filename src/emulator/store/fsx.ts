import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { TEMP_SUFFIX } from './format.js';

/** Mode of every file the store writes: owner read/write only (documents hold password hashes). */
export const FILE_MODE = 0o600;
/** Mode of every directory the store creates. */
export const DIR_MODE = 0o700;

let sequence = 0;

/** A temporary path next to `path` (same directory, so the final rename stays atomic). */
export function tempPathFor(path: string): string {
  sequence += 1;
  return `${path}.${process.pid}-${sequence.toString(36)}${TEMP_SUFFIX}`;
}

/** Makes the entries of a directory (renames, creations, unlinks) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
    if (!isCode(err, 'EINVAL', 'EISDIR', 'EBADF')) throw err;
  } finally {
    await handle.close();
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight (parallel fsyncs at a checkpoint). */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The text of `file`, or undefined when there is no such file. */
export function readTextIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return undefined;
    throw err;
  }
}

/** Whether `err` is a Node system error with one of `codes`. */
export function isCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as { code?: unknown }).code as string);
}

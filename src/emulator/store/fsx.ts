import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
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

/**
 * Replaces `path` with `text` atomically: a temp file in the same directory, written and fsynced,
 * then renamed over the target. A crash leaves the old file or the new one, never a torn one (a
 * stray temp file at worst). The caller fsyncs the directory to make the rename itself durable.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
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

/** Creates a directory (mode 0700) unless it exists; true when it was created. */
export async function ensureDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { mode: DIR_MODE });
    return true;
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false;
    throw err;
  }
}

/** Removes a file; a file that is already gone is fine (roll-forward repeats deletions). */
export async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
}

/** Removes an empty directory; one that is gone or still holds foreign files is left alone. */
export async function rmdirIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch (err) {
    if (!isCode(err, 'ENOENT', 'ENOTEMPTY', 'EEXIST')) throw err;
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight (parallel fsyncs on big transactions). */
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

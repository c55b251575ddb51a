import { readFileSync, statSync } from 'node:fs';

/** What a file looked like when its text was cached. */
interface Entry {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  text: string;
}

/**
 * File texts kept across reads in this process, so a read of an unchanged world costs a `stat` per
 * file instead of an `open`/`read`/`close`. An entry is used only while the file's inode, size,
 * mtime and ctime are all unchanged.
 *
 * Time stamps are coarse (a clock tick), so a file written in the same tick as it was read could
 * change without its stamps changing; like Git's "racily clean" rule, a text is cached only if the
 * file's ctime is well before the read began. Any later change moves ctime (which no tool can set
 * back); a replacement by rename also brings a new inode.
 */
const cache = new Map<string, Entry | typeof SEEN>();
/**
 * Marks a file read once without a `stat`: a process that reads the world once (a CLI command)
 * pays nothing for the cache; the second read stats and fills it, later ones use it.
 */
const SEEN = 'seen';
/** Files changed within this window before a read are not cached (covers clock-tick granularity). */
const RACY_MS = 2_000;
/** Beyond this many entries the cache is cleared (a safeguard, far above any emulated fleet). */
const MAX_ENTRIES = 100_000;

/** The text of `file`, from the cache when the file is provably unchanged. `readStart` is `Date.now()` before the read began. */
export function readTextCached(file: string, readStart: number): string {
  const hit = cache.get(file);
  if (hit === undefined) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(file, SEEN);
    return readFileSync(file, 'utf8');
  }
  const info = statSync(file);
  if (
    hit !== SEEN &&
    hit.ino === info.ino &&
    hit.size === info.size &&
    hit.mtimeMs === info.mtimeMs &&
    hit.ctimeMs === info.ctimeMs
  ) {
    return hit.text;
  }
  const text = readFileSync(file, 'utf8');
  const settled = info.ctimeMs < readStart - RACY_MS && info.mtimeMs < readStart - RACY_MS;
  cache.set(file, settled ? { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, text } : SEEN);
  return text;
}

/** Forgets every cached text (tests; or after changing files behind the store's back). */
export function clearTextCache(): void {
  cache.clear();
}

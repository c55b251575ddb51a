import { readFileSync, statSync } from 'node:fs';
import type { Json } from './types.js';

/** What a file looked like when its text was cached. */
interface Entry {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  text: string;
  /** The text parsed and deep-frozen, once a read-only reader asked for it. */
  parsed?: Json;
}

/**
 * File texts kept across reads in this process, so a read of an unchanged world costs a `stat` per
 * file instead of an `open`/`read`/`close` (and, for readers that only look, no parse either: see
 * `readParsedCached`). An entry is used only while the file's inode, size, mtime and ctime are all
 * unchanged.
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
  return lookup(file, readStart).text;
}

/**
 * The document in `file`, for a reader that never changes it: while the file is cached (see
 * above), every such read gets the same parsed value, deep-frozen so that a change by mistake
 * throws instead of corrupting what later reads see; otherwise a fresh parse. `parse` turns the
 * text into the document (and names the file if it is not JSON).
 */
export function readParsedCached(file: string, readStart: number, parse: (text: string) => Json): Json {
  const { text, entry } = lookup(file, readStart);
  if (entry === undefined) return parse(text);
  entry.parsed ??= deepFreeze(parse(text));
  return entry.parsed;
}

/** The file's text, and its cache entry when it is cached (settled and unchanged since). */
function lookup(file: string, readStart: number): { text: string; entry?: Entry } {
  const hit = cache.get(file);
  if (hit === undefined) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(file, SEEN);
    return { text: readFileSync(file, 'utf8') };
  }
  const info = statSync(file);
  if (
    hit !== SEEN &&
    hit.ino === info.ino &&
    hit.size === info.size &&
    hit.mtimeMs === info.mtimeMs &&
    hit.ctimeMs === info.ctimeMs
  ) {
    return { text: hit.text, entry: hit };
  }
  const text = readFileSync(file, 'utf8');
  const settled = info.ctimeMs < readStart - RACY_MS && info.mtimeMs < readStart - RACY_MS;
  if (!settled) {
    cache.set(file, SEEN);
    return { text };
  }
  const entry: Entry = { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, text };
  cache.set(file, entry);
  return { text, entry };
}

/** Freezes `value` and everything in it (shared parsed documents must not be changed by a reader). */
export function deepFreeze(value: Json): Json {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Forgets every cached text (tests; or after changing files behind the store's back). */
export function clearTextCache(): void {
  cache.clear();
}

import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Which files of a state directory are the emulated world, and a signature of them. The store
 * keeps one document per file (`meta.json`, `<collection>/<id>.json`); around them live files
 * that change on every read or apply and say nothing about the world: the store's short lock
 * `.store.lock`, its log `txn.log` (and an earlier version's `txn.json`) and `*.store-tmp` temp
 * files, and the reconciler's `hsmctl.lock`, `journal.jsonl` and `applied-revision.json`.
 * Watching those would make every pass trigger the next one.
 */

const COLLECTION = /^[A-Za-z0-9_-]+$/;
const DOCUMENT = /^[A-Za-z0-9._-]+\.json$/;

/** The apply lock's file name (its removal can unblock a pass that found it held). */
export const APPLY_LOCK_FILE = 'hsmctl.lock';

/** What a path below the state directory is, for the watcher. */
export type StatePathKind = 'root' | 'collection' | 'document' | 'apply-lock' | 'other';

/** Classifies `path` (absolute, below `stateDir`). Temp files end in `.store-tmp`, never `.json`. */
export function classifyStatePath(stateDir: string, path: string): StatePathKind {
  const rel = relative(stateDir, path);
  if (rel === '') return 'root';
  const parts = rel.split(sep);
  if (parts.length === 1) {
    const [name = ''] = parts;
    if (name === 'meta.json') return 'document';
    if (name === APPLY_LOCK_FILE) return 'apply-lock';
    return COLLECTION.test(name) ? 'collection' : 'other';
  }
  if (parts.length === 2) {
    const [collection = '', name = ''] = parts;
    return COLLECTION.test(collection) && DOCUMENT.test(name) ? 'document' : 'other';
  }
  return 'other';
}

/**
 * A signature of every document file (name, inode, modification time, size). The store replaces
 * a document by renaming a new file over it, so any write changes the inode: two equal signatures
 * mean no document was written in between. Costs one `lstat` per document, made synchronously
 * (for thousands of small files much faster than as many promises).
 */
export function stateSignature(stateDir: string): string {
  const hash = createHash('sha1');
  const stamp = (path: string) => {
    try {
      const s = lstatSync(path, { bigint: true });
      hash.update(`${relative(stateDir, path)}\0${s.ino}\0${s.mtimeNs}\0${s.size}\n`);
    } catch {
      // Removed between readdir and lstat: absent, like a file never listed.
    }
  };
  const names = list(() => readdirSync(stateDir, { withFileTypes: true }));
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(stateDir, entry.name);
    if (entry.isFile() && classifyStatePath(stateDir, path) === 'document') stamp(path);
    if (!entry.isDirectory() || !COLLECTION.test(entry.name)) continue;
    const files = list(() => readdirSync(path)).filter((name) => DOCUMENT.test(name)).sort();
    for (const name of files) stamp(join(path, name));
  }
  return hash.digest('hex');
}

/** A directory listing; empty when the directory is missing or vanished meanwhile. */
function list<T extends string | Dirent>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    return [];
  }
}

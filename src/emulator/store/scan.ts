import { readdirSync, statSync, unlinkSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { META_FILE, TEMP_SUFFIX, checkFormatVersion, documentPath, isCollectionName, isDocumentId, parseFile } from './format.js';
import { isCode } from './fsx.js';
import { readParsedCached, readTextCached } from './textcache.js';
import type { Json, Snapshot } from './types.js';

/** The world as found on disk: the snapshot and, for diffing, each document's text by path. */
export interface Loaded {
  /** Freshly parsed documents the caller owns and may change (or, when shared, frozen ones it must not). */
  snapshot: Snapshot;
  /** Raw text of each document file by path relative to the state directory (documents left out when shared). */
  texts: Map<string, string>;
}

/** How to scan. */
export interface ScanOptions {
  /**
   * The caller only reads. Documents of cached files are then the cache's own parsed, deep-frozen
   * values, shared with other such reads (no parse, no copy); the snapshot object and its
   * collection maps are still the caller's own. `texts` holds only the meta document's.
   */
  shared?: boolean;
  /** Only these collections (and meta); every collection when absent. */
  collections?: readonly string[];
}

/**
 * Reads every document in one pass: the meta file and, for each collection directory, each
 * `<id>.json`. Files the store does not own are ignored; temporary files left by a crash are
 * removed (call under the store lock). A missing directory is an empty world.
 *
 * Synchronous on purpose: for a few thousand small files, one blocking pass measured faster than
 * batches of `fs.promises` reads (each of which crosses to the thread pool and back).
 *
 * See `ScanOptions` for reads that only look.
 */
export function scan(dir: string, options: ScanOptions = {}): Loaded {
  const snapshot: Snapshot = { meta: {}, collections: {} };
  const texts = new Map<string, string>();
  const started = Date.now();
  const entries = list(dir);
  if (entries === undefined) return { snapshot, texts };
  for (const entry of entries) {
    const name = entry.name;
    if (name.endsWith(TEMP_SUFFIX)) {
      removeTemp(join(dir, name));
    } else if (name === META_FILE) {
      const file = join(dir, name);
      const text = readTextCached(file, started);
      const meta = parseFile(text, file);
      checkFormatVersion(meta, file);
      snapshot.meta = meta;
      texts.set(META_FILE, text);
    } else if (isCollectionName(name) && (options.collections?.includes(name) ?? true) && isDirectory(dir, entry)) {
      snapshot.collections[name] = readCollection(dir, name, (file, path) => {
        if (options.shared === true) return readParsedCached(file, started, (text) => parseFile(text, file));
        const text = readTextCached(file, started);
        texts.set(path, text);
        return parseFile(text, file);
      });
    }
  }
  return { snapshot, texts };
}

/** Every document of one collection; `read` gets the file and its path relative to the state directory. */
function readCollection(dir: string, collection: string, read: (file: string, path: string) => Json): { [id: string]: Json } {
  const docs: { [id: string]: Json } = {};
  const folder = join(dir, collection);
  for (const entry of list(folder) ?? []) {
    const name = entry.name;
    if (name.endsWith(TEMP_SUFFIX)) {
      removeTemp(join(folder, name));
      continue;
    }
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    if (!isDocumentId(id)) continue;
    docs[id] = read(join(folder, name), documentPath(collection, id));
  }
  return docs;
}

function list(dir: string): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function isDirectory(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  // Some file systems do not report entry types; ask.
  return !entry.isFile() && !entry.isSymbolicLink() && statSync(join(dir, entry.name)).isDirectory();
}

/** A temp file of a writer that died before its rename: never part of the world. */
function removeTemp(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
}

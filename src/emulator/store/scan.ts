import { readdirSync, statSync, unlinkSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { META_FILE, TEMP_SUFFIX, checkFormatVersion, documentPath, isCollectionName, isDocumentId, parseFile } from './format.js';
import { isCode } from './fsx.js';
import { readTextCached } from './textcache.js';
import type { Json, Snapshot } from './types.js';

/** The world as found on disk: the snapshot and, for diffing, each document's text by path. */
export interface Loaded {
  /** Freshly parsed documents; the caller owns them and may change them. */
  snapshot: Snapshot;
  /** Raw text of each document file by path relative to the state directory. */
  texts: Map<string, string>;
}

/**
 * Reads every document in one pass: the meta file and, for each collection directory, each
 * `<id>.json`. Files the store does not own are ignored; temporary files left by a crash are
 * removed (call under the store lock). A missing directory is an empty world.
 *
 * Synchronous on purpose: for a few thousand small files, one blocking pass measured faster than
 * batches of `fs.promises` reads (each of which crosses to the thread pool and back).
 */
export function scan(dir: string): Loaded {
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
    } else if (isCollectionName(name) && isDirectory(dir, entry)) {
      snapshot.collections[name] = readCollection(dir, name, texts, started);
    }
  }
  return { snapshot, texts };
}

function readCollection(dir: string, collection: string, texts: Map<string, string>, started: number): { [id: string]: Json } {
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
    const file = join(folder, name);
    const text = readTextCached(file, started);
    docs[id] = parseFile(text, file);
    texts.set(documentPath(collection, id), text);
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

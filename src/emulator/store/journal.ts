import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { FORMAT_VERSION, TXN_FILE, isCollectionName, isDocumentPath, parseFile, serialize } from './format.js';
import { ensureDir, forEachLimit, fsyncDir, isCode, rmdirIfEmpty, unlinkIfExists, writeFileAtomic } from './fsx.js';
import type { Json } from './types.js';

/**
 * One mutation of the state directory, as written to `txn.json` (the redo journal) before any
 * document is touched. Applying it twice gives the same result as once, so a transaction found
 * after a crash is simply applied again.
 */
export interface Transaction {
  /** The journal's own format (same as the state directory's). */
  formatVersion: number;
  /** New content by document path (`meta.json`, `<collection>/<id>.json`). */
  writes: { [path: string]: Json };
  /** Document paths to delete. */
  deletes: string[];
  /** Collections created empty (collections that receive documents are created implicitly). */
  createCollections: string[];
  /** Collections removed from the snapshot; their directories go once their documents are gone. */
  removeCollections: string[];
}

/** Parallel fsyncs for big transactions (libuv runs four file operations at once by default). */
const WRITE_CONCURRENCY = 8;

/** The number of separate file-system operations a transaction needs. */
export function operationCount(txn: Transaction): number {
  return Object.keys(txn.writes).length + txn.deletes.length + txn.createCollections.length + txn.removeCollections.length;
}

/**
 * Makes `txn` durable and applies it. A single operation is atomic on its own (one rename, one
 * unlink), so it skips the journal; several go through `txn.json`, whose rename is the commit
 * point. `texts` carries documents already serialized while diffing.
 */
export async function commitTransaction(dir: string, txn: Transaction, texts?: ReadonlyMap<string, string>): Promise<void> {
  const count = operationCount(txn);
  if (count === 0) return;
  if (count === 1) {
    await applyTransaction(dir, txn, texts);
    return;
  }
  await writeFileAtomic(join(dir, TXN_FILE), JSON.stringify(txn));
  await fsyncDir(dir);
  await applyTransaction(dir, txn, texts);
  await unlinkIfExists(join(dir, TXN_FILE));
  await fsyncDir(dir);
}

/** Applies every operation of `txn` (each file atomically) and fsyncs the directories touched. */
async function applyTransaction(dir: string, txn: Transaction, texts?: ReadonlyMap<string, string>): Promise<void> {
  const touched = new Set<string>();
  let rootChanged = false;
  const writes = Object.keys(txn.writes);
  const collections = new Set([...txn.createCollections, ...writes.map(collectionOf).filter((c) => c !== undefined)]);
  for (const collection of collections) {
    if (await ensureDir(join(dir, collection))) rootChanged = true;
  }
  await forEachLimit(writes, WRITE_CONCURRENCY, async (path) => {
    await writeFileAtomic(join(dir, path), texts?.get(path) ?? serialize(txn.writes[path] as Json));
    touched.add(directoryOf(dir, path));
  });
  await forEachLimit(txn.deletes, WRITE_CONCURRENCY, async (path) => {
    await unlinkIfExists(join(dir, path));
    touched.add(directoryOf(dir, path));
  });
  for (const collection of txn.removeCollections) {
    await rmdirIfEmpty(join(dir, collection));
    rootChanged = true;
  }
  if (rootChanged) touched.add(dir);
  await forEachLimit([...touched], WRITE_CONCURRENCY, async (path) => {
    try {
      await fsyncDir(path);
    } catch (err) {
      // A removed collection's directory is gone; the root's fsync covers its removal.
      if (!isCode(err, 'ENOENT')) throw err;
    }
  });
}

/**
 * Finishes a transaction a previous process committed but did not finish applying (it died between
 * the commit point and the removal of `txn.json`). Call under the store lock. Returns whether one
 * was found.
 */
export async function rollForward(dir: string): Promise<boolean> {
  const file = join(dir, TXN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return false;
    throw err;
  }
  const txn = parseTransaction(parseFile(text, file), file);
  await applyTransaction(dir, txn);
  await unlinkIfExists(file);
  await fsyncDir(dir);
  return true;
}

/** Validates a journal read back from disk: known format, and only paths the store could write. */
function parseTransaction(value: Json, file: string): Transaction {
  const bad = (why: string): never => {
    throw new UserError('state.corrupt', `${file} is not a valid store transaction (${why}); remove it to discard the unfinished change`);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad('not an object');
  if (value.formatVersion !== FORMAT_VERSION) return bad(`formatVersion ${JSON.stringify(value.formatVersion)}`);
  const { writes, deletes, createCollections, removeCollections } = value;
  if (writes === null || typeof writes !== 'object' || Array.isArray(writes)) return bad('writes');
  const paths = (list: Json | undefined, name: string, valid: (s: string) => boolean): string[] => {
    if (!Array.isArray(list) || !list.every((p): p is string => typeof p === 'string' && valid(p))) return bad(name);
    return list;
  };
  paths(Object.keys(writes), 'writes', isDocumentPath);
  return {
    formatVersion: FORMAT_VERSION,
    writes,
    deletes: paths(deletes, 'deletes', isDocumentPath),
    createCollections: paths(createCollections, 'createCollections', isCollectionName),
    removeCollections: paths(removeCollections, 'removeCollections', isCollectionName),
  };
}

/** The collection of a document path (`undefined` for `meta.json`). */
function collectionOf(path: string): string | undefined {
  const slash = path.indexOf('/');
  return slash === -1 ? undefined : path.slice(0, slash);
}

/** The absolute directory holding a document path. */
function directoryOf(dir: string, path: string): string {
  const collection = collectionOf(path);
  return collection === undefined ? dir : join(dir, collection);
}

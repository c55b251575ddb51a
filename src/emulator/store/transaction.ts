import { closeSync, fsync, mkdirSync, openSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../errors.js';
import { FORMAT_VERSION, isCollectionName, isDocumentPath, serialize, splitDocumentPath } from './format.js';
import { DIR_MODE, FILE_MODE, forEachLimit, fsyncDir, isCode, tempPathFor } from './fsx.js';
import type { Json } from './types.js';

const fsyncFd = promisify(fsync);

/**
 * One mutation of the state directory, as written to the log (and, by earlier versions, to
 * `txn.json`). Applying it twice gives the same result as once, so a transaction found after a
 * crash is simply applied again.
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

/** The number of separate file-system operations a transaction needs (0: it changes nothing). */
export function operationCount(txn: Transaction): number {
  return Object.keys(txn.writes).length + txn.deletes.length + txn.createCollections.length + txn.removeCollections.length;
}

/** What applying transactions touched, to be made durable together. */
export interface Touched {
  /** Document paths written. */
  files: Set<string>;
  /** Directories whose entries changed, relative to the state directory ('' is the directory itself). */
  dirs: Set<string>;
}

/** Parallel fsyncs at a checkpoint (libuv runs four file operations at once by default). */
const SYNC_CONCURRENCY = 8;

/**
 * Applies `txn` to the files, in one synchronous pass and without fsyncs: the caller has made the
 * transaction durable in the log first, and makes the files durable (`makeDurable`) before the log
 * goes. `texts` carries documents already serialized while diffing.
 *
 * A document is replaced by removing the old file and renaming a fully written temp file into its
 * place. A file is therefore never torn; a crash between the two steps leaves the document absent,
 * and the log, which still holds it, puts it back before anything reads the world. (Renaming over
 * the old file instead makes ext4 start writing the new file back at once, which costs a
 * millisecond or more per document while fsyncs are running.)
 */
export function applyToFiles(dir: string, txn: Transaction, touched: Touched, texts?: ReadonlyMap<string, string>): void {
  for (const collection of txn.createCollections) makeDirectory(dir, collection, touched);
  for (const path of Object.keys(txn.writes)) {
    const text = texts?.get(path) ?? serialize(txn.writes[path] as Json);
    const collection = collectionOf(path);
    try {
      writeFileReplacing(join(dir, path), text);
    } catch (err) {
      // The first document of a collection: make its directory, then write again.
      if (collection === undefined || !isCode(err, 'ENOENT')) throw err;
      makeDirectory(dir, collection, touched);
      writeFileReplacing(join(dir, path), text);
    }
    touched.files.add(path);
    touched.dirs.add(collection ?? '');
  }
  for (const path of txn.deletes) {
    removeIfExists(join(dir, path));
    touched.files.delete(path);
    touched.dirs.add(collectionOf(path) ?? '');
  }
  for (const collection of txn.removeCollections) {
    try {
      rmdirSync(join(dir, collection));
    } catch (err) {
      if (!isCode(err, 'ENOENT', 'ENOTEMPTY', 'EEXIST')) throw err; // a folder with foreign files stays
    }
    touched.dirs.delete(collection);
    touched.dirs.add('');
  }
}

function writeFileReplacing(path: string, text: string): void {
  const temp = tempPathFor(path);
  writeFileSync(temp, text, { encoding: 'utf8', mode: FILE_MODE, flag: 'wx' });
  try {
    removeIfExists(path);
    renameSync(temp, path);
  } catch (err) {
    removeIfExists(temp);
    throw err;
  }
}

function makeDirectory(dir: string, collection: string, touched: Touched): void {
  try {
    mkdirSync(join(dir, collection), { mode: DIR_MODE });
    touched.dirs.add('');
  } catch (err) {
    if (!isCode(err, 'EEXIST')) throw err;
  }
}

function removeIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
}

/**
 * One transaction with the net effect of `txns` applied in order: each document's last write, or
 * its deletion; each collection's last creation or removal, a write into one counting as its
 * creation. A log replayed this way writes each document once, however often it changed.
 */
export function mergeTransactions(txns: readonly Transaction[]): Transaction {
  const writes = new Map<string, Json>();
  const deletes = new Set<string>();
  const collections = new Map<string, 'create' | 'remove'>();
  for (const txn of txns) {
    for (const collection of txn.createCollections) collections.set(collection, 'create');
    for (const path of Object.keys(txn.writes)) {
      writes.set(path, txn.writes[path] as Json);
      deletes.delete(path);
      const collection = collectionOf(path);
      if (collection !== undefined) collections.set(collection, 'create'); // it stays if the document goes
    }
    for (const path of txn.deletes) {
      writes.delete(path);
      deletes.add(path);
    }
    for (const collection of txn.removeCollections) collections.set(collection, 'remove');
  }
  const named = (op: 'create' | 'remove') => [...collections].filter(([, last]) => last === op).map(([collection]) => collection);
  return {
    formatVersion: FORMAT_VERSION,
    writes: Object.fromEntries(writes) as { [path: string]: Json },
    deletes: [...deletes],
    createCollections: named('create'),
    removeCollections: named('remove'),
  };
}

/** Fsyncs every file and directory in `touched` that still exists (files first, then their directories). */
export async function makeDurable(dir: string, touched: Touched): Promise<void> {
  await forEachLimit([...touched.files], SYNC_CONCURRENCY, async (path) => {
    let fd: number;
    try {
      fd = openSync(join(dir, path), 'r');
    } catch (err) {
      if (isCode(err, 'ENOENT')) return; // deleted since; its directory's fsync covers that
      throw err;
    }
    try {
      await fsyncFd(fd);
    } finally {
      closeSync(fd);
    }
  });
  await forEachLimit([...touched.dirs], SYNC_CONCURRENCY, async (path) => {
    try {
      await fsyncDir(join(dir, path));
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err; // a removed collection: the root's fsync covers it
    }
  });
}

/** Validates a transaction read back from disk: known format, and only paths the store could write. */
export function parseTransaction(value: Json, file: string): Transaction {
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
  return splitDocumentPath(path)?.[0];
}

import { closeSync, fsync, openSync, writeFileSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../errors.js';
import { FORMAT_VERSION, isCollectionName, isDocumentPath, serialize } from './format.js';
import { FILE_MODE, ensureDir, forEachLimit, fsyncDir, isCode, rmdirIfEmpty, tempPathFor, unlinkIfExists } from './fsx.js';
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

/** Parallel file operations when writing a transaction's documents. */
const WRITE_CONCURRENCY = 8;

/**
 * Applies `txn` to the files, each document atomically (temp file, rename), without fsyncs: the
 * caller has made the transaction durable in the log first, and makes the files durable
 * (`makeDurable`) before the log goes. The renames run on the thread pool, several at a time (a
 * rename over an existing file can take a millisecond on ext4). `texts` carries documents already
 * serialized while diffing.
 */
export async function applyToFiles(dir: string, txn: Transaction, touched: Touched, texts?: ReadonlyMap<string, string>): Promise<void> {
  for (const collection of txn.createCollections) {
    if (await ensureDir(join(dir, collection))) touched.dirs.add('');
  }
  await forEachLimit(Object.keys(txn.writes), WRITE_CONCURRENCY, async (path) => {
    const text = texts?.get(path) ?? serialize(txn.writes[path] as Json);
    const collection = collectionOf(path);
    try {
      await writeFileReplacing(join(dir, path), text);
    } catch (err) {
      // The first document of a collection: make its directory, then write again.
      if (collection === undefined || !isCode(err, 'ENOENT')) throw err;
      if (await ensureDir(join(dir, collection))) touched.dirs.add('');
      await writeFileReplacing(join(dir, path), text);
    }
    touched.files.add(path);
    touched.dirs.add(collection ?? '');
  });
  await forEachLimit(txn.deletes, WRITE_CONCURRENCY, async (path) => {
    await unlinkIfExists(join(dir, path));
    touched.files.delete(path);
    touched.dirs.add(collectionOf(path) ?? '');
  });
  for (const collection of txn.removeCollections) {
    await rmdirIfEmpty(join(dir, collection));
    touched.dirs.delete(collection);
    touched.dirs.add('');
  }
}

/**
 * Replaces `path` with `text` by renaming a temp file over it: never torn, even if the process
 * dies. The small temp file is written at once; the rename, which on ext4 starts the new file's
 * writeback, runs on the thread pool.
 */
async function writeFileReplacing(path: string, text: string): Promise<void> {
  const temp = tempPathFor(path);
  writeFileSync(temp, text, { encoding: 'utf8', mode: FILE_MODE, flag: 'wx' });
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
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
  const slash = path.indexOf('/');
  return slash === -1 ? undefined : path.slice(0, slash);
}

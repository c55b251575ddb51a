import { UserError } from '../../errors.js';
import type { Json } from './types.js';

/** The on-disk format this code reads and writes; `meta.json` carries it. */
export const FORMAT_VERSION = 1;
/** The meta document, relative to the state directory. */
export const META_FILE = 'meta.json';
/** The write-ahead log of committed mutations whose documents may not all be durable yet. */
export const LOG_FILE = 'txn.log';
/** The redo journal of a multi-document mutation, as written by earlier versions (still rolled forward). */
export const TXN_FILE = 'txn.json';
/** The short store lock held around each read and mutation. */
export const LOCK_FILE = '.store.lock';
/** Suffix of the store's temporary files; any left behind by a crash are removed on the next pass. */
export const TEMP_SUFFIX = '.store-tmp';

/** Collection names are directory names without dots, so they never clash with the store's files. */
const COLLECTION = /^[A-Za-z0-9_-]+$/;
/** Document ids are file-name safe (the contract of `Snapshot`). */
const ID = /^[A-Za-z0-9._-]+$/;
/** A document path relative to the state directory: `meta.json` or `<collection>/<id>.json`. */
const DOC_PATH = /^(?:meta\.json|[A-Za-z0-9_-]+\/[A-Za-z0-9._-]+\.json)$/;

/** Whether `name` may be a collection (directory) name. */
export function isCollectionName(name: string): boolean {
  return COLLECTION.test(name) && name !== '__proto__';
}

/** Whether `id` may be a document id. */
export function isDocumentId(id: string): boolean {
  // `__proto__` cannot be a plain object key; every other file-name-safe id can.
  return ID.test(id) && id !== '__proto__';
}

/** Whether `rel` is a document path the store itself could have written (guards the log and `txn.json`). */
export function isDocumentPath(rel: string): boolean {
  return DOC_PATH.test(rel);
}

/** The path of a document relative to the state directory. */
export function documentPath(collection: string, id: string): string {
  return `${collection}/${id}.json`;
}

/** The collection and id of a document path (the inverse of `documentPath`); undefined for `meta.json`. */
export function splitDocumentPath(path: string): [collection: string, id: string] | undefined {
  const slash = path.indexOf('/');
  return slash === -1 ? undefined : [path.slice(0, slash), path.slice(slash + 1, -'.json'.length)];
}

/** The canonical text of a document: 2-space indented JSON and a trailing newline. */
export function serialize(doc: Json): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Parses a file the store reads, naming the file in a UserError when it is not valid JSON. */
export function parseFile(text: string, file: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new UserError(
      'state.corrupt',
      `${file} is not valid JSON (${(err as Error).message}); fix or remove it`,
    );
  }
}

/** Refuses a meta document written by another (newer or unknown) format of the state directory. */
export function checkFormatVersion(meta: Json, file: string): asserts meta is { [key: string]: Json } {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw new UserError('state.corrupt', `${file} must hold a JSON object`);
  }
  const version = meta.formatVersion;
  if (version === FORMAT_VERSION) return;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw new UserError(
      'state.format',
      `${file} has formatVersion ${version}, written by a newer hsmctl; this hsmctl reads version ${FORMAT_VERSION} — upgrade hsmctl`,
    );
  }
  throw new UserError(
    'state.format',
    `${file} has ${version === undefined ? 'no formatVersion' : `unknown formatVersion ${JSON.stringify(version)}`}; this hsmctl reads version ${FORMAT_VERSION} — is this an hsmctl state directory?`,
  );
}

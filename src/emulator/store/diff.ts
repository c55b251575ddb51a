import { InternalError } from '../../errors.js';
import { FORMAT_VERSION, META_FILE, documentPath, isCollectionName, isDocumentId, serialize } from './format.js';
import type { Transaction } from './journal.js';
import type { Json, Snapshot } from './types.js';

/** The transaction that turns the world on disk into `draft`, and the new texts it writes. */
export interface Changes {
  /** What to commit: only the documents whose serialized text differs. */
  txn: Transaction;
  /** The serialized content of every write, so it is not serialized twice. */
  texts: Map<string, string>;
}

/** What the world on disk held before the mutation ran. */
export interface OnDisk {
  /** Raw text of each document file by path relative to the state directory. */
  texts: ReadonlyMap<string, string>;
  /** The collection directories. */
  collections: ReadonlySet<string>;
}

/**
 * Compares the changed snapshot with what was read, document by document, on the serialized text
 * (the same text that would be written), so an unchanged document is never rewritten. `meta`
 * always carries `formatVersion`, which is how the first mutation creates `meta.json`.
 */
export function diffSnapshot(before: OnDisk, draft: Snapshot): Changes {
  if (!isObject(draft.meta) || !isObject(draft.collections)) {
    throw new InternalError('a store mutation replaced snapshot.meta or snapshot.collections with a non-object');
  }
  const txn: Transaction = { formatVersion: FORMAT_VERSION, writes: {}, deletes: [], createCollections: [], removeCollections: [] };
  const texts = new Map<string, string>();
  const consider = (path: string, doc: Json): void => {
    const text = serialize(doc);
    if (before.texts.get(path) === text) return;
    txn.writes[path] = doc;
    texts.set(path, text);
  };

  const meta: { [key: string]: Json } = { formatVersion: FORMAT_VERSION, ...draft.meta };
  meta.formatVersion = FORMAT_VERSION;
  consider(META_FILE, meta);

  for (const [collection, docs] of Object.entries(draft.collections)) {
    if (!isCollectionName(collection)) {
      throw new InternalError(`invalid store collection name "${collection}" (allowed: letters, digits, "_" and "-")`);
    }
    if (!isObject(docs)) throw new InternalError(`store collection "${collection}" is not an object of documents`);
    const ids = Object.keys(docs).filter((id) => docs[id] !== undefined);
    if (!before.collections.has(collection) && ids.length === 0) txn.createCollections.push(collection);
    for (const id of ids) {
      if (!isDocumentId(id)) {
        throw new InternalError(`invalid document id "${id}" in store collection "${collection}" (allowed: letters, digits, ".", "_" and "-")`);
      }
      consider(documentPath(collection, id), docs[id] as Json);
    }
  }

  for (const path of before.texts.keys()) {
    if (path === META_FILE) continue;
    const [collection = '', file = ''] = path.split('/');
    const docs = Object.hasOwn(draft.collections, collection) ? draft.collections[collection] : undefined;
    const id = file.slice(0, -'.json'.length);
    if (docs === undefined || !Object.hasOwn(docs, id) || docs[id] === undefined) txn.deletes.push(path);
  }
  for (const collection of before.collections) {
    if (!Object.hasOwn(draft.collections, collection)) txn.removeCollections.push(collection);
  }
  return { txn, texts };
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

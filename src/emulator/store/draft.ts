import { InternalError } from '../../errors.js';
import { frozenOf, type Doc, type Documents } from './documents.js';
import { FORMAT_VERSION, META_FILE, documentPath, isCollectionName, isDocumentId, serialize } from './format.js';
import type { Transaction } from './transaction.js';
import type { Json, Snapshot } from './types.js';

/** The transaction that turns the documents into a changed draft, and the new texts it writes. */
export interface Changes {
  /** What to commit: only the documents whose serialized text differs. */
  txn: Transaction;
  /** The serialized content of every write, so it is not serialized twice. */
  texts: Map<string, string>;
}

/**
 * A snapshot a mutation may change in place. A document is copied only when the mutation first
 * touches it (reads, replaces or enumerates its value): each starts as an accessor property that
 * turns itself into a plain data property holding a copy of the stored version on first use. A
 * mutation that changes one HSM in a world of thousands of documents therefore copies one, and
 * `changesOf` compares one.
 */
export function draftOf(docs: Documents): Snapshot {
  const meta = docs.meta === undefined ? {} : (JSON.parse(docs.meta.text) as { [key: string]: Json });
  const collections: Snapshot['collections'] = {};
  for (const [collection, byId] of docs.collections) {
    const target: { [id: string]: Json } = {};
    for (const [id, doc] of byId) defineLazy(target, id, doc);
    collections[collection] = target;
  }
  return { meta, collections };
}

function defineLazy(target: { [id: string]: Json }, id: string, doc: Doc): void {
  const settle = (value: Json): void => {
    Object.defineProperty(target, id, { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(target, id, {
    enumerable: true,
    configurable: true,
    get() {
      const value = copyJson(frozenOf(doc));
      settle(value);
      return value;
    },
    set: settle,
  });
}

/** A mutable copy of a parsed document (several times faster than parsing its text again). */
function copyJson(value: Json): Json {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: Json[] = new Array<Json>(value.length);
    for (let i = 0; i < value.length; i += 1) out[i] = copyJson(value[i] as Json);
    return out;
  }
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value)) {
    const copy = copyJson(value[key] as Json);
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, writable: true, enumerable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}

/**
 * Compares the draft with the documents, on the serialized text (the same text that would be
 * written), so an unchanged document is never rewritten; documents the mutation never touched
 * are not even serialized. `meta` always carries `formatVersion`, which is how the first mutation
 * creates `meta.json`.
 */
export function changesOf(docs: Documents, draft: Snapshot): Changes {
  if (!isObject(draft.meta) || !isObject(draft.collections)) {
    throw new InternalError('a store mutation replaced snapshot.meta or snapshot.collections with a non-object');
  }
  const txn: Transaction = { formatVersion: FORMAT_VERSION, writes: {}, deletes: [], createCollections: [], removeCollections: [] };
  const texts = new Map<string, string>();
  const consider = (path: string, doc: Json, before: Doc | undefined): void => {
    // Most documents a mutation touches it only reads: equal to the stored version, key for key.
    if (before !== undefined && sameJson(doc, frozenOf(before))) return;
    const text = serialize(doc);
    if (before?.text === text) return;
    txn.writes[path] = doc;
    texts.set(path, text);
  };

  const meta: { [key: string]: Json } = { formatVersion: FORMAT_VERSION, ...draft.meta };
  meta.formatVersion = FORMAT_VERSION;
  consider(META_FILE, meta, docs.meta);

  for (const collection of Object.keys(draft.collections)) {
    const byId = draft.collections[collection];
    if (!isCollectionName(collection)) {
      throw new InternalError(`invalid store collection name "${collection}" (allowed: letters, digits, "_" and "-")`);
    }
    if (!isObject(byId)) throw new InternalError(`store collection "${collection}" is not an object of documents`);
    const before = docs.collections.get(collection);
    let present = 0;
    for (const id of Object.keys(byId)) {
      const property = Object.getOwnPropertyDescriptor(byId, id);
      if (property?.get !== undefined) {
        present += 1; // never touched: unchanged
        continue;
      }
      const value = property?.value as Json | undefined;
      if (value === undefined) continue;
      present += 1;
      if (!isDocumentId(id)) {
        throw new InternalError(`invalid document id "${id}" in store collection "${collection}" (allowed: letters, digits, ".", "_" and "-")`);
      }
      consider(documentPath(collection, id), value, before?.get(id));
    }
    if (before === undefined && present === 0) txn.createCollections.push(collection);
  }

  for (const [collection, byId] of docs.collections) {
    const after = Object.hasOwn(draft.collections, collection) ? draft.collections[collection] : undefined;
    if (after === undefined) txn.removeCollections.push(collection);
    for (const id of byId.keys()) {
      if (after === undefined || !Object.hasOwn(after, id) || isUndefined(after, id)) txn.deletes.push(documentPath(collection, id));
    }
  }
  return { txn, texts };
}

/**
 * Whether `a` serializes to exactly the text `b` does: the same JSON values with the same keys in
 * the same order. Anything unusual (an `undefined` property, a non-plain object, NaN) is reported
 * as different, and the caller compares the texts instead.
 */
function sameJson(a: unknown, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameJson(a[i], b[i] as Json)) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i += 1) {
    const key = keysA[i]!;
    if (key !== keysB[i] || !sameJson((a as { [k: string]: unknown })[key], b[key] as Json)) return false;
  }
  return true;
}

/** A document set to `undefined` counts as deleted (without touching a lazy one). */
function isUndefined(byId: { [id: string]: Json }, id: string): boolean {
  const property = Object.getOwnPropertyDescriptor(byId, id);
  return property?.get === undefined && property?.value === undefined;
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { META_FILE, documentPath, splitDocumentPath } from './format.js';
import type { Loaded } from './scan.js';
import { deepFreeze } from './textcache.js';
import type { Transaction } from './transaction.js';
import type { Json, Snapshot } from './types.js';

/** One document as stored: its file's text, and that text parsed and frozen once a reader asked. */
export interface Doc {
  readonly text: string;
  frozen?: Json;
}

/**
 * The world's documents as this process last knew them, by their texts: the meta document and,
 * per collection, each document by id. Kept between operations while this process's log shows
 * that no other process has touched the state directory, so that an operation costs no scan.
 */
export class Documents {
  meta: Doc | undefined;
  readonly collections = new Map<string, Map<string, Doc>>();

  /**
   * The documents of a fresh scan (which the caller hands over: its parsed documents become the
   * frozen values, so nothing is parsed twice). A document whose text is unchanged since `previous`
   * keeps its earlier entry.
   */
  static fromScan(loaded: Loaded, previous?: Documents): Documents {
    const docs = new Documents();
    const metaText = loaded.texts.get(META_FILE);
    if (metaText !== undefined) docs.meta = previous?.meta?.text === metaText ? previous.meta : { text: metaText };
    for (const [collection, byId] of Object.entries(loaded.snapshot.collections)) {
      const kept = previous?.collections.get(collection);
      const map = new Map<string, Doc>();
      for (const [id, parsed] of Object.entries(byId)) {
        const text = loaded.texts.get(documentPath(collection, id));
        if (text === undefined) continue;
        const before = kept?.get(id);
        map.set(id, before?.text === text ? before : { text, frozen: deepFreeze(parsed) });
      }
      docs.collections.set(collection, map);
    }
    return docs;
  }

  /** A snapshot the caller owns: every document freshly parsed. */
  snapshot(): Snapshot {
    const snapshot: Snapshot = { meta: this.#meta(), collections: {} };
    for (const [collection, byId] of this.collections) {
      const out: { [id: string]: Json } = {};
      for (const [id, doc] of byId) out[id] = JSON.parse(doc.text) as Json;
      snapshot.collections[collection] = out;
    }
    return snapshot;
  }

  /**
   * A snapshot for a reader that only looks: the documents are shared, deep-frozen values (see
   * `Store.peek`); the snapshot object and its collection maps are the caller's own.
   */
  shared(only?: readonly string[]): Snapshot {
    const snapshot: Snapshot = { meta: this.#meta(), collections: {} };
    for (const [collection, byId] of this.collections) {
      if (only !== undefined && !only.includes(collection)) continue;
      const out: { [id: string]: Json } = {};
      for (const [id, doc] of byId) out[id] = frozenOf(doc);
      snapshot.collections[collection] = out;
    }
    return snapshot;
  }

  /** Takes in a committed transaction; `texts` are the serialized writes. */
  apply(txn: Transaction, texts: ReadonlyMap<string, string>): void {
    for (const collection of txn.createCollections) if (!this.collections.has(collection)) this.collections.set(collection, new Map());
    for (const path of Object.keys(txn.writes)) {
      const doc: Doc = { text: texts.get(path) as string };
      const parts = splitDocumentPath(path);
      if (parts === undefined) {
        this.meta = doc;
        continue;
      }
      const [collection, id] = parts;
      let byId = this.collections.get(collection);
      if (byId === undefined) this.collections.set(collection, (byId = new Map()));
      byId.set(id, doc);
    }
    for (const path of txn.deletes) {
      const parts = splitDocumentPath(path);
      if (parts !== undefined) this.collections.get(parts[0])?.delete(parts[1]);
    }
    for (const collection of txn.removeCollections) this.collections.delete(collection);
  }

  #meta(): { [key: string]: Json } {
    return this.meta === undefined ? {} : (JSON.parse(this.meta.text) as { [key: string]: Json });
  }
}

/** The document parsed and deep-frozen, made once per version of the document. */
export function frozenOf(doc: Doc): Json {
  return (doc.frozen ??= deepFreeze(JSON.parse(doc.text) as Json));
}

/**
 * The emulator's persistence contract: a directory of JSON documents grouped in collections,
 * plus one `meta` document. The emulated world maps itself onto it; the store knows nothing of
 * HSMs. Implemented by `openStore(dir)` in `./store.ts`.
 */

/** Any JSON value a document may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every document of the store at one instant: `collections[name][id]` and the `meta` document. */
export interface Snapshot {
  /** The singleton document (format version, clock offset, latency, counters…). */
  meta: { [key: string]: Json };
  /** Documents by collection name, then by id. Ids are file-name safe (`[A-Za-z0-9._-]+`). */
  collections: { [collection: string]: { [id: string]: Json } };
}

export interface Store {
  /** The state directory. */
  readonly dir: string;
  /** A consistent snapshot of every document (taken under the short store lock). */
  read(): Promise<Snapshot>;
  /**
   * The same snapshot, for a caller that only reads it: its documents may be shared with other
   * such reads and frozen (the snapshot object and its collection maps are the caller's own). Far
   * cheaper than `read` when most documents are unchanged since the last read. With
   * `collections`, only those collections (and `meta`) are read. Optional: a store without it is
   * read with `read`.
   */
  peek?(collections?: readonly string[]): Promise<Snapshot>;
  /**
   * Runs `fn` under the store lock on a fresh snapshot it may change in place (add, change or
   * delete documents, change `meta`). Afterwards only the documents that differ are written, as
   * one atomic transaction: after a crash at any instant, the next read sees either all of the
   * changes or none. If `fn` throws, nothing is written and the error propagates.
   */
  mutate<T>(fn: (snapshot: Snapshot) => T | Promise<T>): Promise<T>;
}

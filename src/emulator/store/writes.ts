import type { Changes } from './draft.js';
import { applyToFiles, type Touched } from './transaction.js';

/**
 * The document writes of committed transactions, in flight. Writes of different documents run at
 * once; a write of a document waits for the earlier pending write of the same document, and one
 * that creates or removes a collection waits for, and holds back, all others. A failed write
 * fails every write that waits for it.
 */
export class DocumentWrites {
  readonly #root: string;
  readonly #pending = new Set<Promise<void>>();
  /** The last write pending per document path. */
  readonly #last = new Map<string, Promise<void>>();
  /** The last write pending that creates or removes a collection. */
  #barrier: Promise<void> = Promise.resolve();

  constructor(root: string) {
    this.#root = root;
  }

  /** Writes the transaction's documents once `after` settles (and what it must wait for); records what it touched in `touched`. */
  add({ txn, texts }: Changes, after: Promise<void>, touched: Touched): Promise<void> {
    const paths = [...Object.keys(txn.writes), ...txn.deletes];
    const barrier = txn.createCollections.length > 0 || txn.removeCollections.length > 0;
    const before = barrier ? [...this.#pending] : paths.map((p) => this.#last.get(p));
    const done = Promise.all([after, this.#barrier, ...before]).then(() => applyToFiles(this.#root, txn, touched, texts));
    this.#pending.add(done);
    for (const path of paths) this.#last.set(path, done);
    if (barrier) this.#barrier = done;
    const cleanUp = () => {
      this.#pending.delete(done);
      for (const path of paths) if (this.#last.get(path) === done) this.#last.delete(path);
      if (this.#barrier === done) this.#barrier = Promise.resolve();
    };
    done.then(cleanUp, cleanUp);
    return done;
  }

  /** Settles when every write added so far has settled. */
  settled(): Promise<void> {
    return Promise.allSettled([...this.#pending]).then(() => undefined);
  }
}

/**
 * Group commit. Operations on one state directory run one at a time per process; while one runs,
 * the next ones queue. A queued batch is run in one go: every queued read gets the same snapshot,
 * and every queued mutation runs in call order (`Session.mutate`), their transactions appended to
 * the log together and made durable by one fsync.
 */

/** A per-directory queue that gathers the calls made while an earlier batch runs. */
export class BatchQueue<P> {
  #waiting: P[] | undefined;

  /**
   * Adds `item` to the batch being gathered; the first item of a batch schedules `start`, which
   * receives every item gathered until it begins (later items form the next batch).
   */
  add(item: P, start: (take: () => P[]) => void): void {
    if (this.#waiting === undefined) {
      const batch: P[] = [];
      this.#waiting = batch;
      start(() => {
        if (this.#waiting === batch) this.#waiting = undefined;
        return batch;
      });
    }
    this.#waiting.push(item);
  }
}

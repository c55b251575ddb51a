import type { Snapshot } from './types.js';

/**
 * Group commit. Operations on one state directory run one at a time per process; while one runs,
 * the next ones queue. Instead of paying the lock, the scan and the fsyncs once per operation, a
 * queued batch is run in one go: every queued read gets the same fresh snapshot, and every queued
 * mutation runs in call order against one draft, which is then committed as one transaction.
 * Each mutation stays all-or-nothing: one that throws is rolled back alone (the draft is restored
 * from a copy taken before it), and the others still commit.
 */

/** A queued mutation and how to answer its caller. */
export interface PendingMutation {
  fn: (snapshot: Snapshot) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What running a batch of mutations against one draft produced. */
export interface BatchOutcome {
  /** The draft after every mutation that succeeded. */
  draft: Snapshot;
  /** Per mutation, in order: its value, or the error it threw. */
  results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
}

/**
 * Runs `batch` in order against `draft`. A lone mutation runs on the draft itself (if it throws,
 * the caller writes nothing); in a larger batch each mutation gets a copy to fall back on.
 */
export async function runMutations(draft: Snapshot, batch: readonly PendingMutation[]): Promise<BatchOutcome> {
  const results: BatchOutcome['results'] = [];
  let current = draft;
  for (const pending of batch) {
    const backup = batch.length > 1 ? structuredClone(current) : undefined;
    try {
      results.push({ ok: true, value: await pending.fn(current) });
    } catch (error) {
      results.push({ ok: false, error });
      if (backup !== undefined) current = backup;
    }
  }
  return { draft: current, results };
}

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

import { resolve } from 'node:path';
import { BatchQueue } from './batch.js';
import type { LockTiming } from './lock.js';
import type { PendingMutation } from './session.js';
import { sessionOf } from './sessions.js';
import type { Snapshot, Store } from './types.js';

/** Tuning of the store lock; the defaults suit people and tests alike. */
export interface StoreOptions {
  /** How long a read or mutation waits for another process's store lock (default 10 s). */
  lockTimeoutMs?: number;
  /** A lock not refreshed for this long is taken over (default 30 s; holders refresh it). */
  staleLockMs?: number;
}

type PendingRead = { resolve: (s: Snapshot) => void; reject: (e: unknown) => void };

/**
 * The file-backed store of the emulated world (layout, log and lock in this folder's README).
 * Every mutation, and every read that memory cannot answer, holds the store lock, so several
 * processes can share one state directory without losing a change. Within a process, operations
 * on one directory run one at a time in call order; a mutation's `fn` must therefore not call
 * `read` or `mutate` on the same directory (it would wait for itself).
 */
export function openStore(dir: string, options: StoreOptions = {}): Store {
  const root = resolve(dir);
  const timing: LockTiming = { timeoutMs: options.lockTimeoutMs ?? 10_000, staleMs: options.staleLockMs ?? 30_000 };
  const reads = new BatchQueue<PendingRead>();
  const mutations = new BatchQueue<PendingMutation>();

  /** Every read queued meanwhile is answered from one look; each caller owns its copy. */
  const readBatch = async (batch: PendingRead[]): Promise<void> => {
    try {
      const snapshot = await sessionOf(root).read({}, timing);
      batch.forEach((r, i) => r.resolve(i === 0 ? snapshot : structuredClone(snapshot)));
    } catch (err) {
      for (const r of batch) r.reject(err);
    }
  };

  /** Every mutation queued meanwhile runs in one go; callers are answered once their changes are durable. */
  const mutateBatch = async (batch: PendingMutation[]): Promise<void> => {
    try {
      const { results, written } = await sessionOf(root).mutate(batch, timing);
      void written.then(
        () => results.forEach((r, i) => (r.ok ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.error))),
        (err: unknown) => results.forEach((r, i) => batch[i]!.reject(r.ok ? err : r.error)),
      );
    } catch (err) {
      for (const m of batch) m.reject(err);
    }
  };

  return {
    dir,
    read: () =>
      new Promise<Snapshot>((resolve, reject) => {
        reads.add({ resolve, reject }, (take) => void sessionOf(root).run(() => readBatch(take())));
      }),
    peek: (collections) =>
      sessionOf(root).run(() => sessionOf(root).read({ shared: true, ...(collections !== undefined ? { collections } : {}) }, timing)),
    mutate: <T>(fn: (snapshot: Snapshot) => T | Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const pending: PendingMutation = { fn, resolve: resolve as (value: unknown) => void, reject };
        mutations.add(pending, (take) => void sessionOf(root).run(() => mutateBatch(take())));
      }),
  };
}

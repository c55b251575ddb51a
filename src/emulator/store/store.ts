import { chmod, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { META_FILE } from './format.js';
import { diffSnapshot } from './diff.js';
import { DIR_MODE, isCode } from './fsx.js';
import { commitTransaction, rollForward } from './journal.js';
import { BatchQueue, runMutations, type PendingMutation } from './batch.js';
import { acquireLock } from './lock.js';
import type { LockTiming } from './lock.js';
import { scan, type ScanOptions } from './scan.js';
import type { Snapshot, Store } from './types.js';

/** Tuning of the store lock; the defaults suit people and tests alike. */
export interface StoreOptions {
  /** How long a read or mutation waits for another process's store lock (default 10 s). */
  lockTimeoutMs?: number;
  /** A lock not refreshed for this long is taken over (default 30 s; holders refresh it). */
  staleLockMs?: number;
}

/** Operations in flight per state directory in this process: one at a time, in call order. */
const queues = new Map<string, Promise<void>>();

/**
 * The file-backed store of the emulated world (layout, transaction protocol and lock in this
 * folder's README). Every read and mutation takes the short store lock, so several processes can
 * share one state directory without losing a change. Within a process, operations on one
 * directory run one at a time in call order; a mutation's `fn` must therefore not call `read` or
 * `mutate` on the same directory (it would wait for itself).
 */
export function openStore(dir: string, options: StoreOptions = {}): Store {
  const root = resolve(dir);
  const timing: LockTiming = { timeoutMs: options.lockTimeoutMs ?? 10_000, staleMs: options.staleLockMs ?? 30_000 };

  const reads = new BatchQueue<{ resolve: (s: Snapshot) => void; reject: (e: unknown) => void }>();
  const mutations = new BatchQueue<PendingMutation>();

  /** Every read queued meanwhile is answered by one scan; each caller owns its copy. */
  const readBatch = async (batch: { resolve: (s: Snapshot) => void; reject: (e: unknown) => void }[]) => {
    try {
      const snapshot = await scanLocked();
      batch.forEach((r, i) => r.resolve(i === 0 ? snapshot : structuredClone(snapshot)));
    } catch (err) {
      for (const r of batch) r.reject(err);
    }
  };

  const scanLocked = async (options: ScanOptions = {}): Promise<Snapshot> => {
    let release: () => void;
    try {
      release = await acquireLock(root, timing);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return { meta: {}, collections: {} } satisfies Snapshot;
      throw err;
    }
    try {
      await rollForward(root);
      return scan(root, options).snapshot;
    } finally {
      release();
    }
  };

  /** Every mutation queued meanwhile runs against one draft and commits as one transaction. */
  const mutateBatch = async (batch: PendingMutation[]) => {
    let outcome: Awaited<ReturnType<typeof runMutations>>;
    try {
      await mkdir(root, { recursive: true, mode: DIR_MODE });
      const release = await acquireLock(root, timing);
      try {
        await rollForward(root);
        const { snapshot: draft, texts: before } = scan(root);
        const collections = new Set(Object.keys(draft.collections));
        outcome = await runMutations(draft, batch);
        if (outcome.results.some((r) => r.ok)) {
          const { txn, texts } = diffSnapshot({ texts: before, collections }, outcome.draft);
          if (!before.has(META_FILE)) await chmod(root, DIR_MODE); // first mutation: a new state directory
          await commitTransaction(root, txn, texts);
        }
      } finally {
        release();
      }
    } catch (err) {
      for (const m of batch) m.reject(err);
      return;
    }
    outcome.results.forEach((r, i) => (r.ok ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.error)));
  };

  return {
    dir,
    read: () =>
      new Promise<Snapshot>((resolve, reject) => {
        reads.add({ resolve, reject }, (take) => void serialized(root, () => readBatch(take())));
      }),
    peek: (collections) => serialized(root, () => scanLocked({ shared: true, ...(collections !== undefined ? { collections } : {}) })),
    mutate: <T>(fn: (snapshot: Snapshot) => T | Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const pending: PendingMutation = { fn, resolve: resolve as (value: unknown) => void, reject };
        mutations.add(pending, (take) => void serialized(root, () => mutateBatch(take())));
      }),
  };
}

/** Runs `job` after every earlier operation on the same directory in this process. */
function serialized<T>(root: string, job: () => Promise<T>): Promise<T> {
  const previous = queues.get(root) ?? Promise.resolve();
  const result = previous.then(job);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  queues.set(root, tail);
  void tail.then(() => {
    if (queues.get(root) === tail) queues.delete(root);
  });
  return result;
}

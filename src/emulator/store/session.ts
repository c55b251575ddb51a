import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { Documents } from './documents.js';
import { changesOf, draftOf, type Changes } from './draft.js';
import { LOG_FILE } from './format.js';
import { DIR_MODE, fsyncDir, isCode } from './fsx.js';
import { acquireLock, type LockTiming } from './lock.js';
import { Log } from './log.js';
import { rollForward } from './recover.js';
import { scan, type ScanOptions } from './scan.js';
import { applyToFiles, makeDurable, operationCount } from './transaction.js';
import type { Snapshot } from './types.js';

/** A queued mutation and how to answer its caller. */
export interface PendingMutation {
  fn: (snapshot: Snapshot) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Per mutation of a batch, in order: its value, or the error it threw. */
export type Results = ({ ok: true; value: unknown } | { ok: false; error: unknown })[];

/** After this long without an operation, the log is folded into the documents and removed. */
const CHECKPOINT_IDLE_MS = 50;
/** A log grown past this size is folded in at the next mutation. */
const CHECKPOINT_BYTES = 8 * 1024 * 1024;

/**
 * This process's work on one state directory (the protocol is in this folder's README).
 *
 * Operations run one at a time, in call order (`run`). A mutation batch holds the store lock,
 * runs against the documents kept in memory, appends its transactions to the log and returns at
 * once: the next batch may run while the log's fsync is in flight. Each batch's documents are
 * written when its log lines are durable, in commit order; its callers are answered after that,
 * and the lock is released when nothing is left in flight. While the log stays as this process
 * left it, the documents in memory are current and an operation needs no scan.
 */
export class Session {
  readonly root: string;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  #docs: Documents | undefined;
  /** The documents were loaded, or confirmed current, during the present hold of the lock. */
  #currentUnderLock = false;
  #log: Log | undefined;
  /** Settles when every batch committed so far has its documents written. */
  #written: Promise<void> = Promise.resolve();
  /** Operations running, and batches whose documents are not written yet. */
  #busy = 0;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #timing: LockTiming = { timeoutMs: 10_000, staleMs: 30_000 };

  constructor(root: string) {
    this.root = root;
  }

  /** Runs `job` after every earlier operation on this directory in this process. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(job);
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** The documents, when they are known to be current without looking at the directory. */
  current(): Documents | undefined {
    if (this.#docs === undefined) return undefined;
    if (this.#release !== undefined && this.#currentUnderLock) return this.#docs;
    return this.#log?.isIntact() === true ? this.#docs : undefined;
  }

  /** Settles when every batch committed so far is durable and written. */
  durable(): Promise<void> {
    return this.#written.catch(() => undefined);
  }

  /**
   * The world: from memory while this process's log vouches for it, without the lock (no other
   * process has changed anything since: it would have replayed and removed the log first); else
   * scanned under the lock, after any log another process left is replayed. It may show changes
   * whose log lines are not fsynced yet: the log is durable in order, so by the time anything that
   * depends on them is acknowledged, they are durable too.
   */
  async read(options: ScanOptions, timing: LockTiming): Promise<Snapshot> {
    this.#begin(timing);
    try {
      const known = this.current();
      if (known !== undefined) return options.shared === true ? known.shared(options.collections) : known.snapshot();
      // Operations of this process run one at a time: memory cannot become current meanwhile.
      if (!(await this.#lock(false))) return { meta: {}, collections: {} };
      this.#forget();
      await rollForward(this.root);
      return scan(this.root, options).snapshot;
    } finally {
      this.#end();
    }
  }

  /**
   * Runs a batch of mutations in order, each against its own draft of the documents as the ones
   * before it left them; one that throws changes nothing. Returns the results and a promise that
   * settles once the batch is durable and its documents written (rejecting if that failed).
   */
  async mutate(batch: readonly PendingMutation[], timing: LockTiming): Promise<{ results: Results; written: Promise<void> }> {
    this.#begin(timing);
    let written: Promise<void> = Promise.resolve();
    try {
      await this.#lock(true);
      const docs = await this.#currentDocs();
      if (this.#log !== undefined && this.#log.size > CHECKPOINT_BYTES) {
        await this.durable();
        await this.#fold();
      }
      const hadMeta = docs.meta !== undefined;
      const results: Results = [];
      const entries: Changes[] = [];
      for (const pending of batch) {
        const draft = draftOf(docs);
        try {
          const value = await pending.fn(draft);
          const changes = changesOf(docs, draft);
          if (operationCount(changes.txn) > 0) {
            docs.apply(changes.txn, changes.texts);
            entries.push(changes);
          }
          results.push({ ok: true, value });
        } catch (error) {
          results.push({ ok: false, error });
        }
      }
      if (entries.length > 0) {
        if (!hadMeta) chmodSync(this.root, DIR_MODE); // first mutation: a new state directory
        written = this.#commit(entries);
      }
      return { results, written };
    } finally {
      void written.then(
        () => this.#end(),
        () => this.#end(),
      );
    }
  }

  /** Appends the batch to the log; settles once it is durable and its documents are written. */
  #commit(entries: Changes[]): Promise<void> {
    const log = (this.#log ??= Log.create(this.root));
    try {
      log.append(entries.map((e) => e.txn));
    } catch (err) {
      this.#forget(); // memory holds changes that are not in the log; the next operation replays it
      throw err;
    }
    const durable = log.sync();
    const written = Promise.all([this.#written, durable]).then(() => {
      for (const entry of entries) applyToFiles(this.root, entry.txn, log, entry.texts);
    });
    this.#written = written;
    written.catch(() => {
      // A failed fsync or write: forget what memory holds; the next operation replays the log file.
      if (this.#log === log) this.#forget();
      if (this.#written === written) this.#written = Promise.resolve();
    });
    return written;
  }

  /**
   * Folds the log into the documents and removes it: once idle, at process exit, or when asked.
   * Unless `wait`, it gives up at once when another process holds the lock: that process, or the
   * next one, replays the log anyway (and a later idle moment tries again).
   */
  async checkpoint(wait: boolean): Promise<void> {
    if (this.#log === undefined) return;
    this.#begin(this.#timing);
    try {
      await this.durable();
      if (this.#log === undefined) return;
      let locked: boolean;
      try {
        locked = await this.#lock(false, wait ? this.#timing : { ...this.#timing, timeoutMs: 0 });
      } catch (err) {
        if (!wait && err instanceof UserError && err.code === 'store.locked') return;
        throw err;
      }
      if (!locked) {
        this.#forget(); // the directory is gone
        return;
      }
      await this.#fold();
      this.#docs = undefined; // no log to vouch for them once the lock is released
    } finally {
      this.#end();
    }
  }

  /** Under the lock: makes the documents written since the log began durable, then removes the log. */
  async #fold(): Promise<void> {
    const log = this.#log;
    if (log === undefined) return;
    this.#log = undefined;
    if (!log.isIntact()) {
      // Another process replayed it meanwhile (it could only have done so before this hold).
      log.close();
      this.#docs = undefined;
      return;
    }
    await makeDurable(this.root, log);
    log.close();
    unlinkSync(join(this.root, LOG_FILE));
    await fsyncDir(this.root);
  }

  /** The documents, current under the lock: those in memory, or the directory's after any left-over log is replayed. */
  async #currentDocs(): Promise<Documents> {
    const known = this.current();
    if (known !== undefined) {
      this.#currentUnderLock = true;
      return known;
    }
    const previous = this.#docs;
    this.#forget();
    await rollForward(this.root);
    this.#docs = Documents.fromScan(scan(this.root), previous);
    this.#currentUnderLock = true;
    return this.#docs;
  }

  /** Drops the documents in memory and this process's hold on its log (the file stays for a roll-forward). */
  #forget(): void {
    this.#log?.close();
    this.#log = undefined;
    this.#docs = undefined;
  }

  /** Takes the store lock unless held; `create` makes the directory first. False when there is no directory. */
  async #lock(create: boolean, timing: LockTiming = this.#timing): Promise<boolean> {
    if (this.#release !== undefined) return true;
    try {
      this.#release = await acquireLock(this.root, timing);
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
      if (!create) return false;
      mkdirSync(this.root, { recursive: true, mode: DIR_MODE });
      this.#release = await acquireLock(this.root, timing);
    }
    return true;
  }

  #begin(timing: LockTiming): void {
    this.#timing = timing;
    this.#busy += 1;
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#idle = undefined;
  }

  #end(): void {
    this.#busy -= 1;
    if (this.#busy > 0) return;
    this.#release?.();
    this.#release = undefined;
    this.#currentUnderLock = false;
    if (this.#log === undefined) return;
    this.#idle = setTimeout(() => void this.run(() => this.checkpoint(false)).catch(() => undefined), CHECKPOINT_IDLE_MS);
    this.#idle.unref();
  }

  /** Whether a log awaits its checkpoint. */
  get hasLog(): boolean {
    return this.#log !== undefined;
  }
}

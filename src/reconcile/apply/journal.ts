import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';

/**
 * The apply journal: one line per event. An action's intent is on disk before its device call;
 * its outcome is written after it and made durable by the next fsync (the next intent's, or the
 * run's end), so it is on disk before any later device call. A run killed at any instant
 * therefore leaves a record of what it had started. Each fsync starts at once, on the thread pool,
 * even while another runs: an intent never waits for a flush that began before it was written
 * (waiting for it, then flushing again, measured slower with parallel actions), and the process
 * never blocks on one. The next apply reads it to report the interrupted run; correctness does not
 * depend on it (every action checks the world before acting, and HSM creation is idempotent by
 * client token). Never holds a secret.
 */

/** One journal line. */
export type JournalEntry =
  | { type: 'run.start'; run: string; at: string; actions: number }
  | { type: 'action.intent'; run: string; at: string; action: string }
  | { type: 'action.done'; run: string; at: string; action: string; result: string }
  | { type: 'action.failed'; run: string; at: string; action: string; error: string }
  | { type: 'run.end'; run: string; at: string; outcome: 'complete' | 'failed' };

/** What the journal says about the last run. */
export interface LastRun {
  run: string;
  /** False when the run never wrote `run.end`: it was killed. */
  finished: boolean;
  /** Actions whose intent was recorded with no outcome after it. */
  interrupted: string[];
}

export function journalPath(stateDir: string): string {
  return join(stateDir, 'journal.jsonl');
}

/** An open journal for one run. */
export class Journal {
  readonly #fd: number;
  readonly #run: string;

  private constructor(fd: number, run: string) {
    this.#fd = fd;
    this.#run = run;
  }

  /** Starts a new run's journal, replacing the previous run's (its first line is durable on return). */
  static start(stateDir: string, run: string, actions: number): Journal {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const journal = new Journal(openSync(journalPath(stateDir), 'w', 0o600), run);
    journal.#write({ type: 'run.start', run, at: new Date().toISOString(), actions });
    fsyncSync(journal.#fd);
    return journal;
  }

  /** Records that `action` is about to call a device; resolves once the record is on disk. */
  intent(action: string): Promise<void> {
    this.#write({ type: 'action.intent', run: this.#run, at: new Date().toISOString(), action });
    return this.#durable();
  }

  /**
   * Records that `action` succeeded. The line is not flushed on its own: the next intent's fsync
   * (which any later device call waits for) or the run's end makes it durable.
   */
  done(action: string, result: string): void {
    this.#write({ type: 'action.done', run: this.#run, at: new Date().toISOString(), action, result });
  }

  /** Records that `action` failed; resolves once the record is on disk. */
  failed(action: string, error: string): Promise<void> {
    this.#write({ type: 'action.failed', run: this.#run, at: new Date().toISOString(), action, error });
    return this.#durable();
  }

  /** Records the end of the run, flushes and closes the journal. */
  async end(outcome: 'complete' | 'failed'): Promise<void> {
    this.#write({ type: 'run.end', run: this.#run, at: new Date().toISOString(), outcome });
    await this.#durable();
    closeSync(this.#fd);
  }

  #write(entry: JournalEntry): void {
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
  }

  /** Resolves once every line written so far is on disk. */
  #durable(): Promise<void> {
    return fsyncAsync(this.#fd);
  }
}

const fsyncAsync = promisify(fsync);

/** Reads the last run's journal; undefined when there is none. A torn last line is ignored. */
export function readLastRun(stateDir: string): LastRun | undefined {
  const path = journalPath(stateDir);
  if (!existsSync(path)) return undefined;
  const entries: JournalEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      break; // the process died while writing this line
    }
  }
  const first = entries[0];
  if (first?.type !== 'run.start') return undefined;
  const open = new Set<string>();
  for (const e of entries) {
    if (e.type === 'action.intent') open.add(e.action);
    if (e.type === 'action.done' || e.type === 'action.failed') open.delete(e.action);
  }
  return { run: first.run, finished: entries.some((e) => e.type === 'run.end'), interrupted: [...open] };
}

import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';

/**
 * The apply journal: one line per event. An action's intent is written before its device call and
 * its outcome after it, each with one `write`: from then on the line is in the file for anyone who
 * reads it, so a run killed at any instant leaves a record of what it had started. Lines reach the
 * disk in the background, one fsync at a time, each covering every line written before it began:
 * no action waits for the disk. A failure and the run's end wait until every line is on disk. After
 * a power loss (not a kill) the last few milliseconds of lines may be missing; the journal only
 * tells the next apply about the interrupted run, and correctness never depends on it (every
 * action checks the world before acting, and HSM creation is idempotent by client token). Never
 * holds a secret.
 */

/** One journal line. */
export type JournalEntry =
  | { type: 'run.start'; run: string; at: string; actions: number }
  | { type: 'action.intent'; run: string; at: string; action: string }
  | { type: 'action.done'; run: string; at: string; action: string; result: string }
  | { type: 'action.failed'; run: string; at: string; action: string; error: string }
  | { type: 'run.end'; run: string; at: string; outcome: 'complete' | 'failed' | 'stopped' };

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
  /** Background fsyncs are running; `#flushed` settles when they stop. */
  #flushing = false;
  #flushed: Promise<void> = Promise.resolve();
  /** A line was written since the last fsync began. */
  #unsynced = false;
  /** Why an fsync failed, reported by `failed` and `end`. */
  #failure: unknown;

  private constructor(fd: number, run: string) {
    this.#fd = fd;
    this.#run = run;
  }

  /** Starts a new run's journal, replacing the previous run's (its first line is durable on return). */
  static start(stateDir: string, run: string, actions: number): Journal {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const journal = new Journal(openSync(journalPath(stateDir), 'w', 0o600), run);
    writeSync(journal.#fd, lineOf({ type: 'run.start', run, at: new Date().toISOString(), actions }));
    fsyncSync(journal.#fd);
    return journal;
  }

  /** Records that `action` is about to call a device (in the file on return; on disk soon after). */
  intent(action: string): void {
    this.#write({ type: 'action.intent', run: this.#run, at: new Date().toISOString(), action });
  }

  /** Records that `action` succeeded (in the file on return; on disk soon after). */
  done(action: string, result: string): void {
    this.#write({ type: 'action.done', run: this.#run, at: new Date().toISOString(), action, result });
  }

  /** Records that `action` failed; resolves once every line so far is on disk. */
  failed(action: string, error: string): Promise<void> {
    this.#write({ type: 'action.failed', run: this.#run, at: new Date().toISOString(), action, error });
    return this.#durable();
  }

  /** Records the end of the run, flushes and closes the journal. */
  async end(outcome: 'complete' | 'failed' | 'stopped'): Promise<void> {
    this.#write({ type: 'run.end', run: this.#run, at: new Date().toISOString(), outcome });
    try {
      await this.#durable();
    } finally {
      closeSync(this.#fd);
    }
  }

  #write(entry: JournalEntry): void {
    writeSync(this.#fd, lineOf(entry));
    this.#unsynced = true;
    if (this.#flushing) return;
    this.#flushing = true;
    this.#flushed = this.#flush();
  }

  /** Fsyncs until no line written since the last fsync began is left; remembers a failure. */
  async #flush(): Promise<void> {
    try {
      while (this.#unsynced) {
        this.#unsynced = false;
        await fsyncAsync(this.#fd);
      }
    } catch (err) {
      this.#failure ??= err;
    } finally {
      this.#flushing = false;
    }
  }

  /** Resolves once every line written so far is on disk; rejects if an fsync failed. */
  async #durable(): Promise<void> {
    while (this.#flushing) await this.#flushed;
    if (this.#failure !== undefined) throw this.#failure;
  }
}

const fsyncAsync = promisify(fsync);

function lineOf(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

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

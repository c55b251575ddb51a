import { closeSync, fstatSync, fsync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../errors.js';
import { LOG_FILE, parseFile } from './format.js';
import { FILE_MODE, fsyncDir, readTextIfExists } from './fsx.js';
import { parseTransaction, type Transaction } from './transaction.js';

const fsyncFd = promisify(fsync);

/**
 * The write-ahead log of one process's mutations, `txn.log`: one transaction per line, appended
 * in commit order. A mutation is committed when its line is on disk (fsync); only then are its
 * documents written (without an fsync each). The log is removed at a checkpoint, once every
 * document written since it began has been fsynced; until then, a process that dies leaves it for
 * the next one to replay (`rollForward`).
 *
 * Group commit: lines appended while an fsync runs share the next one.
 */
export class Log {
  readonly #dir: string;
  readonly #fd: number;
  #size = 0;
  #dirSynced = false;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  /** Document paths written since the log began (fsynced at the checkpoint). */
  readonly files = new Set<string>();
  /** Directories whose entries changed since the log began ('' is the state directory). */
  readonly dirs = new Set<string>();

  private constructor(dir: string, fd: number) {
    this.#dir = dir;
    this.#fd = fd;
  }

  /** Starts a new log in `dir` (under the store lock, after any earlier log was rolled forward). */
  static create(dir: string): Log {
    return new Log(dir, openSync(join(dir, LOG_FILE), 'w', FILE_MODE));
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends `txns`, one line each, in one write. Durable once a later `sync()` resolves. */
  append(txns: readonly Transaction[]): void {
    const text = txns.map((txn) => `${JSON.stringify(txn)}\n`).join('');
    const bytes = Buffer.from(text, 'utf8');
    for (let written = 0; written < bytes.length; ) written += writeSync(this.#fd, bytes, written, bytes.length - written);
    this.#size += bytes.length;
  }

  /**
   * Still this process's log, as this process left it: no other process has replayed and removed
   * it (every process rolls a log forward before it reads or changes anything), and nothing was
   * appended by anyone else. While that holds, the world this process keeps in memory is current.
   */
  isIntact(): boolean {
    try {
      const info = fstatSync(this.#fd);
      return info.nlink > 0 && info.size === this.#size;
    } catch {
      return false;
    }
  }

  /** Resolves once every line appended before the call is on disk (one fsync serves many callers). */
  sync(): Promise<void> {
    if (this.#running === undefined) return this.#start();
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#start();
      });
    return this.#queued;
  }

  #start(): Promise<void> {
    const run = (async () => {
      await fsyncFd(this.#fd);
      if (!this.#dirSynced) {
        await fsyncDir(this.#dir); // the log's own directory entry
        this.#dirSynced = true;
      }
    })();
    this.#running = run;
    const clear = () => {
      if (this.#running === run) this.#running = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /** Closes the file (the caller removes it, or leaves it for a roll-forward). */
  close(): void {
    try {
      closeSync(this.#fd);
    } catch {
      // Already closed.
    }
  }
}

/**
 * The transactions of a log left behind, in order. A last line without its newline was cut short
 * by a crash before its fsync, so it was never acknowledged: it is not part of the world. Undefined
 * when there is no log.
 */
export function readLog(dir: string): Transaction[] | undefined {
  const file = join(dir, LOG_FILE);
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  lines.pop(); // '' after the last newline, or a line cut short
  return lines.map((line, i) => {
    if (line.trim() === '') throw new UserError('state.corrupt', `${file} line ${i + 1} is empty; remove the file to discard the unfinished changes`);
    return parseTransaction(parseFile(line, `${file} line ${i + 1}`), `${file} line ${i + 1}`);
  });
}

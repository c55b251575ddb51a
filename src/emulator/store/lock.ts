import { closeSync, fstatSync, futimesSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { UserError } from '../../errors.js';
import { LOCK_FILE } from './format.js';
import { FILE_MODE, isCode } from './fsx.js';
import { isProcessAlive } from '../../pid.js';

/** Who holds the store lock: the content of `.store.lock`. */
export interface LockHolder {
  /** Process id of the holder. */
  pid: number;
  /** Host name of the holder; the pid is only meaningful on the same host. */
  host: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
}

/** How long to wait for the lock and when a held lock counts as abandoned. */
export interface LockTiming {
  /** Give up (UserError naming the holder) after waiting this long. */
  timeoutMs: number;
  /** A lock file not refreshed for this long is taken over (its holder hung or died elsewhere). */
  staleMs: number;
}

/** A lock file with no parsable content yet: its creator is between `open` and `write`, or died there. */
const HALF_WRITTEN_GRACE_MS = 1_000;
/** A takeover guard older than this was left by a process that died while holding it. */
const GUARD_STALE_MS = 5_000;

/** The content of every lock file this process holds right now. */
const held = new Set<string>();

/** What was found in the lock file. */
interface Seen {
  text: string;
  holder: LockHolder | undefined;
  ageMs: number;
}

/**
 * Takes `<dir>/.store.lock` (exclusive create), waiting with a small random backoff while another
 * process holds it. A lock whose holder is dead on this host, or that has not been refreshed for
 * `staleMs`, is taken over. While held, the file's mtime is refreshed so a slow but live holder is
 * never mistaken for a dead one. Returns the release function. Throws the raw error when `dir`
 * does not exist (ENOENT).
 */
export async function acquireLock(dir: string, timing: LockTiming): Promise<() => void> {
  const path = join(dir, LOCK_FILE);
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    const text = `${JSON.stringify({ pid: process.pid, host: thisHost(), since: new Date().toISOString() } satisfies LockHolder)}\n`;
    const fd = tryCreate(path, text);
    if (fd !== undefined) return holdUntilReleased(path, fd, text, timing.staleMs);
    const seen = inspect(path);
    if (seen === undefined) continue; // released between our create and our look: try again at once
    if (isAbandoned(seen, timing.staleMs)) {
      takeOver(path, seen, timing.staleMs);
      continue;
    }
    if (Date.now() - started >= timing.timeoutMs) throw lockedError(dir, seen, Date.now() - started);
    await delay(2 + Math.random() * Math.min(18, 2 * attempt));
  }
}

/** Exclusive create; the open file, or undefined when another holder's file is there. */
function tryCreate(path: string, text: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx', FILE_MODE);
  } catch (err) {
    if (isCode(err, 'EEXIST')) return undefined;
    if (isCode(err, 'EACCES', 'EPERM', 'EROFS')) {
      throw new UserError('store.access', `cannot lock the state directory: ${(err as Error).message}`);
    }
    throw err;
  }
  try {
    writeSync(fd, text);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/**
 * Refreshes the lock while held; the returned function stops that and removes the lock if still
 * ours. The file stays open meanwhile: a takeover can only have removed it (lock files are never
 * renamed), so while it still has a link, the file at `path` is this one.
 */
function holdUntilReleased(path: string, fd: number, text: string, staleMs: number): () => void {
  held.add(text);
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      futimesSync(fd, now, now);
    } catch {
      // Nothing of ours to refresh any more.
    }
  }, Math.max(50, Math.floor(staleMs / 3)));
  heartbeat.unref();
  return () => {
    clearInterval(heartbeat);
    held.delete(text);
    try {
      if (fstatSync(fd).nlink > 0) unlinkSync(path);
    } finally {
      closeSync(fd);
    }
  };
}

let host: string | undefined;

/** This machine's name, as lock files record it (asked once per process). */
function thisHost(): string {
  return (host ??= hostname());
}

/** Reads the lock file; undefined when there is none. */
function inspect(path: string): Seen | undefined {
  try {
    const { mtimeMs } = statSync(path);
    const text = readFileSync(path, 'utf8');
    return { text, holder: parseHolder(text), ageMs: Date.now() - mtimeMs };
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'string') {
      return { pid: value.pid, host: value.host, since: value.since };
    }
  } catch {
    // Half-written by a holder that is creating it (or died doing so).
  }
  return undefined;
}

/**
 * A dead holder on this host, a lock not refreshed for `staleMs`, or one never finished. A lock
 * naming this very process that it does not hold was left by an earlier process that had the same
 * pid (containers give every run the same few pids).
 */
function isAbandoned(seen: Seen, staleMs: number): boolean {
  if (seen.ageMs > staleMs) return true;
  if (seen.holder === undefined) return seen.ageMs > HALF_WRITTEN_GRACE_MS;
  if (seen.holder.host !== thisHost()) return false;
  if (seen.holder.pid === process.pid) return !held.has(seen.text);
  return !isProcessAlive(seen.holder.pid);
}

/**
 * Removes an abandoned lock, once. Two waiters may both judge the same lock abandoned; only the
 * one holding the takeover guard removes it, and only if the file is still the one it judged, so
 * a waiter never removes the fresh lock the other has just taken.
 */
function takeOver(path: string, judged: Seen, staleMs: number): void {
  const guard = `${path}.takeover`;
  const guardFd = tryCreate(guard, `${process.pid}\n`);
  if (guardFd === undefined) {
    const stuck = inspect(guard);
    if (stuck !== undefined && stuck.ageMs > GUARD_STALE_MS) unlinkIfSame(guard, stuck.text);
    return;
  }
  closeSync(guardFd);
  try {
    const now = inspect(path);
    if (now !== undefined && now.text === judged.text && isAbandoned(now, staleMs)) unlinkSync(path);
  } finally {
    unlinkSync(guard);
  }
}

function unlinkIfSame(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
}

function lockedError(dir: string, seen: Seen, waitedMs: number): UserError {
  const who = seen.holder === undefined ? 'another process' : `pid ${seen.holder.pid} on ${seen.holder.host} (since ${seen.holder.since})`;
  return new UserError(
    'store.locked',
    `the state directory ${dir} is locked by ${who}; gave up after ${(waitedMs / 1000).toFixed(1)}s. If that process is gone, remove ${join(dir, LOCK_FILE)}`,
  );
}

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../../errors.js';
import { isProcessAlive } from '../../pid.js';

/**
 * The reconciler's long lock (SPEC §5): one `apply` (or `watch --apply` pass) changes a world at a
 * time. Separate from the emulator's short store lock, which guards single operations.
 */

/** What the lock file records about its holder. */
export interface LockInfo {
  /** `user@host`. */
  holder: string;
  pid: number;
  host: string;
  /** The command that holds it, e.g. `apply`. */
  operation: string;
  /** ISO time it was taken. */
  since: string;
}

/** A lock this process holds. */
export interface HeldLock {
  info: LockInfo;
  /** Set when the lock was taken over from a dead holder: a message for the user. */
  warning: string | undefined;
  release(): void;
}

/** Path of the lock file in a state directory. */
export function lockPath(stateDir: string): string {
  return join(stateDir, 'hsmctl.lock');
}

/** The current holder, if any (undefined when unlocked or the file is unreadable). */
export function readLock(stateDir: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockPath(stateDir), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

function describeHolder(info: LockInfo): string {
  return `${info.holder} (pid ${info.pid}, operation "${info.operation}", since ${info.since})`;
}

function tryCreate(path: string, info: LockInfo): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Takes the lock for `operation`, waiting up to `timeoutMs` (0: fail at once) for a live holder
 * (`onWait` is told whom it waits for, once). A holder that is dead on this host is taken over
 * with a warning.
 */
export async function acquireLock(stateDir: string, operation: string, timeoutMs = 0, onWait?: (holder: string) => void): Promise<HeldLock> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = lockPath(stateDir);
  const host = hostname();
  const info: LockInfo = { holder: `${userInfo().username}@${host}`, pid: process.pid, host, operation, since: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  let warning: string | undefined;
  let told = false;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    if (tryCreate(path, info)) break;
    const current = readLock(stateDir);
    if (current !== undefined && current.host === host && !isProcessAlive(current.pid)) {
      warning = `took over the lock of ${describeHolder(current)}: that process is no longer running`;
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = current === undefined ? 'another process' : describeHolder(current);
      throw new UserError('lock.held', `the state is locked by ${who}; try again later, or run "hsmctl force-unlock" if that process is gone`);
    }
    if (!told) {
      told = true;
      onWait?.(current === undefined ? 'another process' : describeHolder(current));
    }
    await sleep(delay);
  }
  let released = false;
  return {
    info,
    warning,
    release() {
      if (released) return;
      released = true;
      const current = readLock(stateDir);
      if (current?.pid === info.pid && current.since === info.since) rmSync(path, { force: true });
    },
  };
}

/** Removes the lock whoever holds it; returns the holder that was removed. */
export function forceUnlock(stateDir: string): LockInfo | undefined {
  const current = readLock(stateDir);
  rmSync(lockPath(stateDir), { force: true });
  return current;
}

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { checkpointStores, openStore } from '../../../src/emulator/store/index.js';
import type { Snapshot } from '../../../src/emulator/store/index.js';
import { tempDir } from './helpers.js';

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
}

function writeLock(state: string, holder: { pid: number; host: string }, ageMs = 0): string {
  const path = join(state, '.store.lock');
  writeFileSync(path, `${JSON.stringify({ ...holder, since: new Date(Date.now() - ageMs).toISOString() })}\n`);
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
  return path;
}

describe('store lock', () => {
  it('removes its lock file after each read and mutation', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(() => undefined);
    await store.read();
    expect(existsSync(join(state, '.store.lock'))).toBe(false);
  });

  it('takes over a lock whose holder is dead on this host', async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 2_000 });
    await store.mutate(() => undefined);
    writeLock(state, { pid: deadPid(), host: hostname() });
    await store.mutate((s) => {
      s.meta.n = 1;
    });
    expect((await store.read()).meta.n).toBe(1);
  });

  it('takes over a lock not refreshed for longer than the stale limit', async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 2_000, staleLockMs: 30_000 });
    await store.mutate(() => undefined);
    writeLock(state, { pid: 1, host: 'elsewhere' }, 60_000);
    await expect(store.read()).resolves.toMatchObject({ meta: { formatVersion: 1 } });
  });

  it('takes over a half-written lock (holder died between create and write)', async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 3_000 });
    await store.mutate(() => undefined);
    const path = join(state, '.store.lock');
    writeFileSync(path, '');
    const then = new Date(Date.now() - 5_000);
    utimesSync(path, then, then);
    await expect(store.read()).resolves.toMatchObject({ meta: { formatVersion: 1 } });
  });

  it('gives up after the timeout, naming a live holder, and leaves its lock alone', async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 150 });
    await store.mutate(() => undefined);
    await checkpointStores(); // no log of this process vouches for what it remembers
    const path = writeLock(state, { pid: process.pid, host: 'other-host' });
    const held = readFileSync(path, 'utf8');
    const err = await store.read().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('store.locked');
    expect((err as UserError).message).toContain(`pid ${process.pid} on other-host`);
    expect(readFileSync(path, 'utf8')).toBe(held);
  });

  it('answers a read from memory while its own log vouches for it, whoever holds the lock', async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 150 });
    await store.mutate((s) => {
      s.meta.n = 1;
    });
    const path = writeLock(state, { pid: process.pid, host: 'other-host' });
    // The holder has not replayed this process's log, so it has changed nothing yet.
    await expect(store.read()).resolves.toMatchObject({ meta: { n: 1 } });
    expect(existsSync(path)).toBe(true);
    // Once another process has rolled the log forward (and removed it), memory is not trusted.
    unlinkSync(join(state, 'txn.log'));
    await expect(store.read()).rejects.toMatchObject({ code: 'store.locked' });
  });

  it('leaves alone, when it is done, a lock another process took over meanwhile', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    let theirs = '';
    await store.mutate((s) => {
      // As if this process had stalled past the stale limit: another one removed its lock and took its own.
      unlinkSync(join(state, '.store.lock'));
      theirs = readFileSync(writeLock(state, { pid: 1, host: 'other-host' }), 'utf8');
      s.meta.n = 1;
    });
    expect(readFileSync(join(state, '.store.lock'), 'utf8')).toBe(theirs);
  });

  it('does not take over a lock held by a live process on this host', async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 150 });
    await store.mutate(() => undefined);
    writeLock(state, { pid: 1, host: hostname() }); // init: always alive
    await expect(store.mutate(() => undefined)).rejects.toMatchObject({ code: 'store.locked' });
  });

  it('takes over a lock naming its own pid that it does not hold (an earlier process with the same pid)', async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 2_000 });
    await store.mutate(() => undefined);
    writeLock(state, { pid: process.pid, host: hostname() });
    await expect(store.read()).resolves.toMatchObject({ meta: { formatVersion: 1 } });
  });

  it('waits for itself through a second path to the same directory instead of taking over', async () => {
    const { base, state } = tempDir();
    await openStore(state).mutate(() => undefined);
    symlinkSync(state, join(base, 'alias'));
    const direct = openStore(state);
    const aliased = openStore(join(base, 'alias'));
    const bump = (s: Snapshot): void => {
      s.meta.counter = ((s.meta.counter as number | undefined) ?? 0) + 1;
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? direct : aliased).mutate(bump)));
    expect((await direct.read()).meta.counter).toBe(30);
  });
});

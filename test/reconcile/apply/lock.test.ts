import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, forceUnlock, lockPath, readLock } from '../../../src/reconcile/apply/lock.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hsmctl-lock-'));

describe('apply lock', () => {
  it('records holder, pid, host, operation and start time, and releases', async () => {
    const dir = tmp();
    const lock = await acquireLock(dir, 'apply');
    expect(readLock(dir)).toMatchObject({ pid: process.pid, host: hostname(), operation: 'apply' });
    expect(lock.info.holder).toContain('@');
    lock.release();
    expect(readLock(dir)).toBeUndefined();
  });

  it('refuses a second holder at once, naming the first', async () => {
    const dir = tmp();
    const first = await acquireLock(dir, 'apply');
    await expect(acquireLock(dir, 'watch --apply')).rejects.toThrow(new RegExp(`pid ${process.pid}, operation "apply"`));
    first.release();
  });

  it('waits up to the lock timeout for the holder to let go', async () => {
    const dir = tmp();
    const first = await acquireLock(dir, 'apply');
    const second = acquireLock(dir, 'apply', 5_000);
    first.release();
    const held = await second;
    expect(readLock(dir)?.since).toBe(held.info.since);
    held.release();
  });

  it('takes over the lock of a dead process with a warning', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(lockPath(dir), JSON.stringify({ holder: 'x@y', pid: deadPid, host: hostname(), operation: 'apply', since: 'then' }));
    const lock = await acquireLock(dir, 'apply');
    expect(lock.warning).toContain(`pid ${deadPid}`);
    expect(lock.warning).toContain('no longer running');
    lock.release();
  });

  // A killed apply whose parent never reaps it (a container whose first process does not reap
  // orphans) lingers as a zombie: it still answers a signal, but holds nothing.
  it.runIf(process.platform === 'linux')('takes over the lock of an exited process nobody has reaped', async () => {
    const dir = tmp();
    // sh starts a child that waits for the end of this test's input, then becomes `sleep`, which
    // never reaps it; the input ends only once sh is `sleep`, so sh cannot reap the child first.
    const parent = spawn('sh', ['-c', 'exec 3<&0; sh -c "read x <&3" & echo $!; exec sleep 30']);
    try {
      const zombiePid = Number((await new Promise<Buffer>((resolve) => parent.stdout.once('data', resolve))).toString().trim());
      const tick = () => new Promise((resolve) => setImmediate(resolve));
      while (readFileSync(`/proc/${parent.pid}/comm`, 'utf8').trim() !== 'sleep') await tick();
      parent.stdin.end();
      const state = () => readFileSync(`/proc/${zombiePid}/stat`, 'utf8').split(') ')[1]?.charAt(0);
      while (state() !== 'Z') await tick();
      writeFileSync(lockPath(dir), JSON.stringify({ holder: 'x@y', pid: zombiePid, host: hostname(), operation: 'apply', since: 'then' }));
      const lock = await acquireLock(dir, 'apply');
      expect(lock.warning).toContain(`pid ${zombiePid}`);
      lock.release();
    } finally {
      parent.kill();
    }
  });

  it('force-unlock removes any holder and says who it was', async () => {
    const dir = tmp();
    await acquireLock(dir, 'apply');
    expect(forceUnlock(dir)?.pid).toBe(process.pid);
    expect(readLock(dir)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { openEmulator } from '../../src/emulator/index.js';
import { readLastRun } from '../../src/reconcile/apply/journal.js';
import { readLock } from '../../src/reconcile/apply/lock.js';
import { workspace } from '../reconcile/apply/fixtures.js';
import { start } from './spawn.js';

/**
 * Ctrl-C during `hsmctl apply`, as Terraform has it: the first lets the device operations already
 * running finish and starts no other, then the run says what it left; the lock is released and the
 * next apply completes. A second Ctrl-C stops at once, and the next apply takes the lock over.
 */
describe('apply interrupted with Ctrl-C', () => {
  it('stops between device operations, says what it left, releases the lock; the next apply completes', { timeout: 30_000 }, async () => {
    const ws = workspace();
    await openEmulator(ws.state).setLatency(150);
    const run = start(['apply', 'quickstart', '--auto-approve', '--state', ws.state], ws.dir);
    await run.printed('Creation complete after'); // an HSM is made: the run is under way
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit.code).toBe(1);
    expect(run.err()).toContain('Interrupt received (SIGINT): the device operations already running finish, and no other starts.');
    expect(run.out()).toMatch(/Apply stopped before it finished: \d+ done, \d+ left undone\./);
    expect(run.out()).not.toContain('Apply failed');
    expect(readLock(ws.state)).toBeUndefined();
    expect(readLastRun(ws.state)?.finished).toBe(true);

    await openEmulator(ws.state).setLatency(0);
    const again = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(again.code, again.out + again.err).toBe(0);
    expect(again.err).not.toContain('took over the lock');
    expect((await ws.cli(['plan', 'quickstart'])).out).toContain('No changes.');
  });

  it('a second Ctrl-C stops at once; the next apply takes the lock over and completes', { timeout: 30_000 }, async () => {
    const ws = workspace();
    await openEmulator(ws.state).setLatency(1_000); // the second Ctrl-C comes while the first operations still run
    const run = start(['apply', 'quickstart', '--auto-approve', '--state', ws.state], ws.dir);
    await run.printed('Creating...');
    run.child.kill('SIGINT');
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!run.err().includes('Press Ctrl-C again')) return;
        run.child.stderr!.off('data', check);
        resolve();
      };
      run.child.stderr!.on('data', check);
      check();
    });
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit.signal).toBe('SIGINT');
    expect(run.err()).toContain('Stopping at once');
    expect(readLock(ws.state)).toBeDefined();

    await openEmulator(ws.state).setLatency(0);
    const again = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(again.code, again.out + again.err).toBe(0);
    expect(again.err).toMatch(/Warning: took over the lock of .*that process is no longer running/);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/reconcile/apply/lock.js';
import { journalPath, readLastRun, type JournalEntry } from '../../src/reconcile/apply/journal.js';
import { normaliseTimings, QUICKSTART_SECRETS, workspace } from '../reconcile/apply/fixtures.js';

describe('hsmctl apply', () => {
  it('applies the quickstart, then a re-plan is empty and a second apply does nothing and says so', async () => {
    const ws = workspace();
    const first = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('Apply complete! Resources: 17 added, 0 changed, 0 destroyed.');
    const world = await ws.emulator().describe();
    expect(world.hsms).toHaveLength(2);
    expect(world.hsms.every((h) => h.status === 'RUNNING' && !h.zeroized)).toBe(true);
    expect(world.clients[0]?.configuration?.chrystokiConf).toContain('VirtualToken00Label = hapg1;');

    expect((await ws.cli(['plan', 'quickstart', '--detailed-exitcode'])).code).toBe(0);
    const second = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(second).toMatchObject({ code: 0, out: 'No changes. The fleet matches the configuration.\n' });
    expect(await ws.emulator().describe()).toEqual({ ...world, observedAt: expect.any(String) });
  });

  it('prints the progress of each action with timings (golden, parallelism 1)', async () => {
    const ws = workspace();
    const run = await ws.cli(['apply', 'quickstart', '--auto-approve', '--parallelism', '1']);
    expect(run.code).toBe(0);
    const progress = run.out.slice(run.out.lastIndexOf('Plan: 17 to add') + 'Plan: 17 to add, 0 to change, 0 to destroy.\n'.length);
    await expect(normaliseTimings(progress)).toMatchFileSnapshot('__golden__/apply-quickstart.txt');
    expect(run.out).toMatch(/hsm\.hsm-a: Creation complete after \d+\.\ds\n/);
    expect(run.out).not.toContain('\u001b[');
  });

  it('colours progress on a terminal only, and never with NO_COLOR', async () => {
    const coloured = await workspace().cli(['apply', 'quickstart', '--auto-approve'], { tty: true });
    expect(coloured.out).toMatch(/\u001b\[1mhsm\.hsm-a\u001b\[22m: Creating\.\.\./);
    const plain = await workspace().cli(['apply', 'quickstart', '--auto-approve'], { tty: true, env: { NO_COLOR: '1' } });
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain('\u001b[');
  });

  it('--json prints one result document with each action\'s status and timing', async () => {
    const ws = workspace();
    const run = await ws.cli(['apply', 'quickstart', '--auto-approve', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.out) as {
      formatVersion: number;
      outcome: string;
      summary: { added: number };
      actions: { id: string; status: string; result: string; durationMs: number; startedAt: string }[];
      errors: unknown[];
      verification: { converged: boolean };
    };
    expect(doc).toMatchObject({ formatVersion: 1, outcome: 'complete', summary: { added: 17 }, errors: [], verification: { converged: true } });
    expect(doc.actions).toHaveLength(17);
    for (const a of doc.actions) {
      expect(a.status).toBe('done');
      expect(a.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(a.startedAt)).not.toBeNaN();
    }
    expect(doc.actions.find((a) => a.id === 'hsm.initialize:hsm-a')?.result).toBe('initialized');
    const again = JSON.parse((await ws.cli(['apply', 'quickstart', '--auto-approve', '--json'])).out) as { outcome: string };
    expect(again.outcome).toBe('no-changes');
  });

  it('without --auto-approve and without a terminal it refuses, touching nothing', async () => {
    const ws = workspace();
    const run = await ws.cli(['apply', 'quickstart']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('apply needs your approval and there is no terminal to ask on');
    expect(run.err).toContain('--auto-approve');
    expect(existsSync(ws.state)).toBe(false);
  });

  it('on a terminal it shows the plan and asks; only "yes" applies', async () => {
    const ws = workspace();
    const questions: string[] = [];
    const no = await ws.cli(['apply', 'quickstart'], { prompt: async (q) => (questions.push(q), 'no') });
    expect(no.code).toBe(1);
    expect(no.out).toContain('Plan: 17 to add');
    expect(no.out).toContain('Apply cancelled: nothing was changed.');
    expect(questions[0]).toContain("Only 'yes' will be accepted to approve.");
    expect((await ws.emulator().describe()).hsms).toHaveLength(0);
    const yes = await ws.cli(['apply', 'quickstart'], { prompt: async () => 'yes' });
    expect(yes.code).toBe(0);
    expect(yes.out).toContain('Apply complete!');
  });

  it('an invalid configuration: diagnostics, exit 1, nothing touched', async () => {
    const ws = workspace();
    ws.write('fleet.yaml', readFileSync(join(ws.config, 'fleet.yaml'), 'utf8').replace('interval: 60', 'interval: 5'));
    const run = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/quickstart\/fleet\.yaml:\d+:\d+ error autoRecovery\.interval/);
    expect(existsSync(ws.state)).toBe(false);
  });

  it.each([
    [['--parallelism', '0'], '--parallelism must be a whole number of at least 1, not "0"'],
    [['--parallelism', '2x'], '--parallelism must be a whole number of at least 1, not "2x"'],
    [['--lock-timeout', '5'], 'invalid duration "5": a unit is missing'],
    [['quickstart', 'other'], 'apply takes one PATH or PLANFILE at most'],
    [['--json'], '--json needs --auto-approve'],
  ])('refuses bad arguments %j', async (extra, message) => {
    const ws = workspace();
    const run = await ws.cli(['apply', ...(extra[0] === 'quickstart' ? [] : ['quickstart']), ...extra]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(message);
    expect(existsSync(ws.state)).toBe(false);
  });

  it('journals the intent and outcome of every action', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    const entries = readFileSync(journalPath(ws.state), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
    expect(entries[0]).toMatchObject({ type: 'run.start', actions: 17 });
    expect(entries.at(-1)).toMatchObject({ type: 'run.end', outcome: 'complete' });
    const intents = entries.filter((e) => e.type === 'action.intent').map((e) => (e as { action: string }).action);
    expect(intents).toHaveLength(17);
    for (const id of intents) {
      const at = entries.findIndex((e) => e.type === 'action.intent' && e.action === id);
      const done = entries.findIndex((e) => e.type === 'action.done' && e.action === id);
      expect(done).toBeGreaterThan(at);
    }
    expect(readLastRun(ws.state)).toMatchObject({ finished: true, interrupted: [] });
    for (const secret of QUICKSTART_SECRETS) expect(ws.writtenText()).not.toContain(secret);
  });

  it('a held lock: apply fails at once naming the holder; force-unlock removes it (with --force while its holder runs)', async () => {
    const ws = workspace();
    const lock = await acquireLock(ws.state, 'apply');
    try {
      const blocked = await ws.cli(['apply', 'quickstart', '--auto-approve']);
      expect(blocked.code).toBe(1);
      expect(blocked.err).toContain(`the state is locked by ${lock.info.holder} (pid ${process.pid}, operation "apply"`);
      expect((await ws.emulator().describe()).hsms).toHaveLength(0);
      const waited = await ws.cli(['apply', 'quickstart', '--auto-approve', '--lock-timeout', '50ms']);
      expect(waited.code).toBe(1);
      expect(waited.err).toContain(`Waiting up to 50ms for the lock held by ${lock.info.holder} (pid ${process.pid}, operation "apply"`);
      expect(waited.err.match(/Waiting up to/g)).toHaveLength(1);
      // The holder (this process) still runs: not removed without --force.
      const refused = await ws.cli(['force-unlock']);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`the lock is held by a running process: ${lock.info.holder} (pid ${process.pid}`);
      expect(refused.err).toContain('hsmctl force-unlock --force');
      expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(1);
      const unlock = await ws.cli(['force-unlock', '--force']);
      expect(unlock).toMatchObject({ code: 0 });
      expect(unlock.out).toContain(`Removed the lock of ${lock.info.holder} (pid ${process.pid}`);
      expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
      expect((await ws.cli(['force-unlock'])).out).toContain('No lock was held');
    } finally {
      lock.release();
    }
  });

  it('takes over a lock whose holder died, with a warning', async () => {
    const ws = workspace();
    const lock = await acquireLock(ws.state, 'apply');
    const file = join(ws.state, 'hsmctl.lock');
    const info = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
    // A pid that cannot be alive: beyond the kernel's limit.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify({ ...info, pid: 2 ** 22 + 1 }));
    const run = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    lock.release();
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/^Warning: took over the lock of .* \(pid 4194305, .*that process is no longer running/m);
  });
});

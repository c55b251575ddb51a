import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../helpers/io.js';
import { workspace, type Workspace } from '../reconcile/apply/fixtures.js';
import { startWatch, type WatchProcess } from '../watch/spawned.js';

/**
 * `hsmctl watch` as a person runs it: the built CLI spawned on a temporary workspace (a copy of
 * the quickstart), its stdout read as it comes. Every wait ends on a printed pass, never on a
 * sleep. A large --interval keeps the periodic re-observe out of the way except where it is the
 * subject.
 */

const running: WatchProcess[] = [];
afterEach(() => {
  for (const w of running.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
});

function watch(ws: Workspace, ...args: string[]): WatchProcess {
  const w = startWatch(['quickstart', '--state', ws.state, ...args], ws.dir);
  running.push(w);
  return w;
}

/** Edits quickstart/fleet.yaml: `edit` gets and returns its text. */
function edit(ws: Workspace, change: (text: string) => string): void {
  const file = join(ws.config, 'fleet.yaml');
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

const withClient = (name: string) => (text: string) => text.replace('  - name: app-1\n    hapgs: [hapg1]\n', `  - name: app-1\n    hapgs: [hapg1]\n  - name: ${name}\n    hapgs: [hapg1]\n`);

/** Stops watch with `signal` and checks it leaves cleanly: exit 0, no apply lock left. */
async function stop(w: WatchProcess, ws: Workspace, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  w.child.kill(signal);
  expect(await w.exited).toEqual({ code: 0, signal: null });
  expect(w.out()).toMatch(new RegExp(`Received ${signal}: stopping[^\\n]*\\nStopped watching\\.\\n$`));
  expect(existsSync(join(ws.state, 'hsmctl.lock'))).toBe(false);
}

describe('hsmctl watch (spawned)', () => {
  it('plans at start, re-plans on an edit, survives an invalid edit, coalesces a burst of saves, exits 0 on SIGINT', async () => {
    const ws = workspace();
    const w = watch(ws, '--interval', '1h');

    const first = await w.nextPass();
    expect(first).toMatchObject({ number: 1, trigger: 'start', status: '17 changes pending (run with --apply, or "hsmctl apply", to make them)' });
    expect(first.body).toContain('Plan: 17 to add, 0 to change, 0 to destroy.');

    edit(ws, withClient('app-2'));
    const edited = await w.nextPass();
    expect(edited).toMatchObject({ number: 2, trigger: 'quickstart/fleet.yaml changed' });
    expect(edited.body).toContain('# client.app-2 will be created');
    const added = /Plan: (\d+) to add/.exec(edited.body)?.[1];
    expect(Number(added)).toBeGreaterThan(17);

    edit(ws, (t) => t.replace('members: [hsm-a, hsm-b]', 'members: [hsm-a, hsm-z]'));
    const invalid = await w.nextPass();
    expect(invalid.body).toMatch(/^quickstart\/fleet\.yaml:\d+:\d+ error hapgs\[0\]\.members\[1\]: unknown HSM "hsm-z"/m);
    expect(invalid.status).toBe(
      'configuration invalid: 1 error (keeping the last good configuration) · ' +
        `${added} changes pending (run with --apply, or "hsmctl apply", to make them)`,
    );
    expect(invalid.body).toContain('# client.app-2 will be created');
    expect(w.child.exitCode).toBeNull();

    // Ten saves in a burst, each a valid configuration naming another client.
    const burstFrom = invalid.end;
    for (let i = 0; i < 10; i++) {
      edit(ws, (t) => t.replace(/members: \[hsm-a, hsm-z\]|  - name: app-(2|b\d)\n/, (m) => (m.startsWith('members') ? 'members: [hsm-a, hsm-b]' : `  - name: app-b${i}\n`)));
      await turn();
    }
    await w.passMatching(/# client\.app-b9 will be created/);
    // A sentinel save after the burst was handled: the passes before it are the burst's.
    edit(ws, (t) => t.replace('app-b9', 'app-sentinel'));
    const sentinel = await w.passMatching(/# client\.app-sentinel will be created/);
    const burst = w.passes().filter((p) => p.end > burstFrom && p.number < sentinel.number);
    expect(burst.length).toBeGreaterThanOrEqual(1);
    expect(burst.length).toBeLessThanOrEqual(2);
    expect(burst.every((p) => p.trigger === 'quickstart/fleet.yaml changed')).toBe(true);

    await stop(w, ws);
  });

  it('shows an out-of-band revokePartition as drift without a save', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    const world = await ws.emulator().describe();
    const hsmA = world.hsms.find((h) => h.tags['hsmctl:name'] === 'hsm-a')!;
    const partition = world.hapgs[0]!.members.find((m) => m.hsmArn === hsmA.arn)!.partitionName;
    const w = watch(ws, '--interval', '1h');
    expect(await w.nextPass()).toMatchObject({ number: 1, status: '✓ in sync' });

    // Out of band, as an operator on the appliance would (the state comes from HSMCTL_STATE: after "--" all is lunash's).
    const io = captureIo({ cwd: ws.dir, env: { HSMCTL_STATE: ws.state } });
    expect(await runCli(['emu', 'lunash', 'hsm-a', '--', 'client', 'revokePartition', '-client', 'app-1', '-partition', partition], io)).toBe(0);
    expect(io.out()).toContain('Command Result : 0 (Success)');
    const drift = await w.nextPass();
    expect(drift).toMatchObject({ number: 2, trigger: 'state changed (out of band)', status: '1 change pending (run with --apply, or "hsmctl apply", to make them)' });
    expect(drift.body).toContain('Drift: changed outside hsmctl');
    expect(drift.body).toMatch(/partition\.assign/);
    await stop(w, ws, 'SIGTERM');
  });

  it('re-observes every --interval', async () => {
    const ws = workspace();
    const w = watch(ws, '--interval', '300ms');
    expect(await w.nextPass()).toMatchObject({ number: 1, trigger: 'start' });
    expect(await w.nextPass()).toMatchObject({ number: 2, trigger: 'interval (300ms)', status: expect.stringMatching(/^17 changes pending/) });
    await stop(w, ws);
  });

  it('--apply converges after an edit and after an emu fail + restore, refuses destruction, never loops on its own writes', async () => {
    const ws = workspace();
    const w = watch(ws, '--apply', '--interval', '1h');
    const first = await w.nextPass();
    expect(first.body).toContain('Apply complete! Resources: 17 added, 0 changed, 0 destroyed.');
    expect(first.status).toMatch(/^✓ applied 17 actions in \d+\.\ds; in sync$/);

    // Its own writes to the state make no pass: the next one is the edit's, numbered 2.
    edit(ws, (t) => t.replace('interval: 60 ', 'interval: 120'));
    const edited = await w.nextPass();
    expect(edited).toMatchObject({ number: 2, trigger: 'quickstart/fleet.yaml changed' });
    expect(edited.body).toContain('client.app-1.autoRecovery: autoRecovery set after');
    expect(edited.status).toMatch(/^✓ applied 1 action in \d+\.\ds; in sync$/);

    expect((await ws.cli(['emu', 'fail', 'hsm-b'])).code).toBe(0);
    const down = await w.nextPass();
    expect(down).toMatchObject({ number: 3, trigger: 'state changed (out of band)', status: '✓ in sync · 1 HSM unreachable: hsm-b' });

    edit(ws, withClient('app-2'));
    const partial = await w.nextPass();
    expect(partial.body).toContain("client app-2 cannot be registered to hapg hapg1 while hsm-b cannot be reached");
    expect(partial.status).toMatch(/^applied \d+ actions in .*; 1 change waits until unreachable HSMs answer · 1 HSM unreachable: hsm-b$/);

    expect((await ws.cli(['emu', 'restore', 'hsm-b'])).code).toBe(0);
    const restored = await w.nextPass();
    expect(restored.trigger).toBe('state changed (out of band)');
    expect(restored.body).toContain('hapg.hapg1.client.app-2: Client registered after');
    expect(restored.status).toMatch(/^✓ applied \d+ actions in \d+\.\ds; in sync$/);
    const plan = await ws.cli(['plan', 'quickstart']);
    expect(plan.out).toContain('No changes. The fleet matches the configuration.');

    // Removing hsm-b from the configuration would delete a device: refused, and watch goes on.
    edit(ws, (t) => t.replace(/  - name: hsm-b\n(    .*\n)+/, '').replace('members: [hsm-a, hsm-b]', 'members: [hsm-a]'));
    const refused = await w.nextPass();
    expect(refused.body).toContain('run with --allow-destroy');
    expect(refused.status).toBe('✗ plan refused as a whole: nothing was changed (see the 2 refusals above)');
    expect((await ws.emulator().describe()).hsms).toHaveLength(2);
    await stop(w, ws);
  });

  it('--apply waits for another holder of the lock and applies once it is released', async () => {
    const ws = workspace();
    mkdirSync(ws.state, { recursive: true });
    const lock = join(ws.state, 'hsmctl.lock');
    const holder = { holder: `${userInfo().username}@${hostname()}`, pid: process.pid, host: hostname(), operation: 'apply', since: new Date().toISOString() };
    writeFileSync(lock, JSON.stringify(holder), { mode: 0o600 });
    const w = watch(ws, '--apply', '--interval', '1h', '--lock-timeout', '200ms');
    const blocked = await w.nextPass();
    expect(blocked.status).toBe(
      `waiting: the state is locked by ${holder.holder} (pid ${process.pid}, operation "apply", since ${holder.since}); will retry when the lock is released`,
    );
    expect((await ws.emulator().describe()).hsms).toHaveLength(0);

    rmSync(lock);
    const applied = await w.nextPass();
    expect(applied.trigger).toBe('lock released');
    expect(applied.status).toMatch(/^✓ applied 17 actions in /);
    await stop(w, ws);
  });
});

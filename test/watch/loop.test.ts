import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { watchFleet, type WatchSettings } from '../../src/watch/loop.js';
import type { PassReport } from '../../src/watch/report.js';
import { workspace, type Workspace } from '../reconcile/apply/fixtures.js';

/**
 * The watch loop in-process (the spawned CLI is covered in test/e2e/watch.test.ts): waits end on
 * a reported pass or on printed text, never on a sleep.
 */

interface Session {
  io: CliIo;
  out(): string;
  reports: PassReport[];
  /** Resolves with the report of pass `n`. */
  pass(n: number): Promise<PassReport>;
  /** Resolves once stdout contains `text`. */
  printed(text: string): Promise<void>;
  stop(): Promise<void>;
}

function session(ws: Workspace, settings: Partial<WatchSettings> & { configPath: string }): Session {
  let out = '';
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const io: CliIo = { stdout: { write: (s: string) => ((out += s), wake()) }, stderr: { write: (s: string) => ((out += s), wake()) }, env: {}, cwd: ws.dir };
  const reports: PassReport[] = [];
  const stopping = new AbortController();
  const done = watchFleet(
    {
      stateDir: ws.state,
      apply: false,
      allowDestroy: false,
      parallelism: 10,
      lockTimeoutMs: 0,
      intervalMs: 0,
      debounceMs: 50,
      onPass: (r) => (reports.push(r), wake()),
      ...settings,
    },
    io,
    ws.emulator(),
    stopping.signal,
  );
  const until = (ok: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}:\n${out}`)), 10_000);
      const check = () => {
        if (ok()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return {
    io,
    out: () => out,
    reports,
    pass: async (n) => {
      await until(() => reports.length >= n, `pass ${n}`);
      return reports[n - 1]!;
    },
    printed: (text) => until(() => out.includes(text), JSON.stringify(text)),
    stop: async () => {
      stopping.abort();
      await done;
    },
  };
}


/**
 * Saves fleet.yaml again and ends the session after pass 2: that pass must be the save's, and
 * nothing may name the log (`watch.log`) the test wrote beside the configuration before.
 */
async function secondPassIsTheSave(ws: Workspace, s: Session): Promise<void> {
  const fleet = join(ws.config, 'fleet.yaml');
  writeFileSync(fleet, `${readFileSync(fleet, 'utf8')}\n`);
  await s.pass(2);
  await s.stop();
  expect(s.out()).toMatch(/pass 2 · trigger: quickstart\/fleet\.yaml changed ──/);
  expect(s.out()).not.toContain('watch.log');
}
describe('watch loop', () => {
  it('Ctrl-C during an apply stops between device operations, releases the lock, and the next apply completes', async () => {
    const ws = workspace();
    expect((await ws.cli(['emu', 'latency', '40ms'])).code).toBe(0);
    const s = session(ws, { configPath: 'quickstart', apply: true });
    await s.printed('Initializing...');
    await s.stop();
    const [report] = s.reports;
    expect(report?.outcome).toEqual({ kind: 'interrupted' });
    expect(s.out()).toContain('hsmctl is stopping (interrupted): no further device operation was started');
    expect(s.out()).toMatch(/interrupted: watch stopped between device operations/);
    expect(existsSync(join(ws.state, 'hsmctl.lock'))).toBe(false);
    expect((await ws.emulator().describe()).hapgs.length + (await ws.emulator().describe()).hsms.length).toBeGreaterThan(0);

    expect((await ws.cli(['emu', 'latency', '0'])).code).toBe(0);
    const apply = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(apply.code).toBe(0);
    expect(apply.out).toMatch(/Apply complete! Resources: \d+ added/);
    expect(apply.out).not.toContain('17 added');
    expect((await ws.cli(['plan', 'quickstart'])).out).toContain('No changes.');
  });

  it('with --apply, follows a held-back apply at once with the pass that makes what it held back', async () => {
    const ws = workspace();
    const file = join(ws.config, 'fleet.yaml');
    const three = readFileSync(file, 'utf8')
      .replace('members: [hsm-a, hsm-b]', 'members: [hsm-a, hsm-b, hsm-c]')
      .replace('\nhapgs:', '  - name: hsm-c\n    availabilityZone: us-east-1c\n    cloningDomain: { file: secrets/cloning-domain.txt }\n    soPassword: { file: secrets/so-password.txt }\n\nhapgs:');
    writeFileSync(file, three);
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    // hsm-a and hsm-b away with autoRecovery off while a key object is written: only hsm-c holds it.
    const emu = ws.emulator();
    await emu.setHaSettings({ clientName: 'app-1', settings: { autoRecovery: false, retry: -1, interval: 60, haOnly: true } });
    for (const name of ['hsm-a', 'hsm-b']) await emu.fail(name, 'network');
    await emu.createKey({ clientName: 'app-1', hapgLabel: 'hapg1', label: 'k1' });
    for (const name of ['hsm-a', 'hsm-b']) await emu.restore(name);
    writeFileSync(file, three.replace('members: [hsm-a, hsm-b, hsm-c]', 'members: [hsm-a, hsm-b]'));

    const s = session(ws, { configPath: 'quickstart', apply: true });
    expect((await s.pass(1)).outcome).toMatchObject({ kind: 'applied', outcome: 'held-back' });
    expect((await s.pass(2)).outcome).toMatchObject({ kind: 'applied', outcome: 'complete' });
    await s.stop();
    expect(s.out()).toMatch(/pass 2 · trigger: follow-up \(the applied plan held changes back\) ──/);
    const group = (await emu.describe()).hapgs.find((g) => g.label === 'hapg1')!;
    expect(group.members).toHaveLength(2);
    expect((await emu.listKeys('hapg1')).map((k) => k.label)).toEqual(['k1']);
  });

  it('does not try a refused SO password again on a later pass, whatever starts it, until it is corrected', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    const file = join(ws.config, 'fleet.yaml');
    const secret = join(ws.config, 'secrets', 'so-b.txt');
    writeFileSync(secret, 'not-the-so-password-1\n');
    const text = readFileSync(file, 'utf8');
    const [hsmA, hsmB] = text.split('  - name: hsm-b');
    writeFileSync(
      file,
      `${hsmA}  - name: hsm-b${hsmB!.replace('soPassword: { file: secrets/so-password.txt }', 'soPassword: { file: secrets/so-b.txt }')}`.replace(
        '\nclients:',
        '  - label: hapg2\n    members: [hsm-b]\n    partitionPassword: { file: secrets/partition-password.txt }\n\nclients:',
      ),
    );
    const attemptsLeft = async () => (await ws.emulator().describe()).hsms.find((h) => h.tags['hsmctl:name'] === 'hsm-b')!.soLoginAttemptsLeft;

    // Passes every 50 ms after the last: the ones that no save started must not log in again.
    const s = session(ws, { configPath: 'quickstart', apply: true, intervalMs: 50 });
    expect((await s.pass(1)).outcome).toMatchObject({ kind: 'applied', outcome: 'failed' });
    expect(await attemptsLeft()).toBe(2);
    expect(await s.pass(3)).toMatchObject({ outcome: { kind: 'applied', outcome: 'failed' } });
    expect(s.out()).toMatch(/pass 3 · trigger: interval/);
    expect(s.out()).toContain('not logging in as SO on hsm hsm-b: its SO password was refused');
    expect(s.out()).toContain('earlier while watching, and hsmctl never retries a refused SO password (correct it in file secrets/so-b.txt)');
    expect(await attemptsLeft()).toBe(2);
    // A save that leaves the password as it was (here, of another file of the configuration).
    const passes = s.reports.length;
    writeFileSync(join(ws.config, 'notes.yaml'), '# nothing declared here\n');
    await s.printed(`quickstart/notes.yaml changed`);
    await s.pass(passes + 1);
    expect(await attemptsLeft()).toBe(2);

    writeFileSync(secret, readFileSync(join(ws.config, 'secrets', 'so-password.txt')));
    await s.printed('Member added after');
    await s.stop();
    expect(await attemptsLeft()).toBe(3);
  });

  it('watches secret files that live outside a single-file configuration', async () => {
    const ws = workspace();
    const s = session(ws, { configPath: 'quickstart/fleet.yaml' });
    expect((await s.pass(1)).outcome).toEqual({ kind: 'pending', changes: 17 });
    const secret = join(ws.config, 'secrets', 'so-password.txt');
    writeFileSync(secret, `${readFileSync(secret, 'utf8').trim()}-rotated\n`);
    await s.pass(2);
    await s.stop();
    expect(s.out()).toContain('── ');
    expect(s.out()).toMatch(/pass 2 · trigger: quickstart\/secrets\/so-password\.txt changed ──/);
  });

  it('starts no pass for files beside the configuration that no pass reads, such as its own log', async () => {
    const ws = workspace();
    const s = session(ws, { configPath: 'quickstart' });
    await s.pass(1);
    const log = join(ws.config, 'watch.log');
    writeFileSync(log, 'pass 1\n');
    writeFileSync(log, 'pass 1\npass 2\n');
    // The log was written first: had it counted, it would have started or joined a pass.
    await secondPassIsTheSave(ws, s);
    expect(s.reports).toHaveLength(2);
  });

  it('starts no pass for such a file written while the first pass runs', async () => {
    const ws = workspace();
    await ws.emulator().setLatency(20);
    const s = session(ws, { configPath: 'quickstart', apply: true });
    await s.printed('Creating...');
    writeFileSync(join(ws.config, 'watch.log'), 'pass 1\n');
    expect(await s.pass(1)).toMatchObject({ outcome: { kind: 'applied', outcome: 'complete' } });
    await secondPassIsTheSave(ws, s);
  });

  it('never reconciles towards a configuration that declares nothing, even with --apply --allow-destroy', async () => {
    const ws = workspace();
    const s = session(ws, { configPath: 'quickstart', apply: true, allowDestroy: true });
    expect(await s.pass(1)).toMatchObject({ outcome: { kind: 'applied', outcome: 'complete' } });
    const fleet = join(ws.config, 'fleet.yaml');
    const good = readFileSync(fleet, 'utf8');
    writeFileSync(fleet, ''); // emptied by an editor's save, or half written
    const second = await s.pass(2);
    expect(second).toMatchObject({ outcome: { kind: 'in-sync' }, emptyConfig: true });
    expect(s.out()).toContain('The configuration declares nothing: watch keeps the last good configuration');
    expect(s.out()).toContain('configuration declares nothing (keeping the last good configuration) · ✓ in sync');
    expect((await ws.emulator().describe()).hsms).toHaveLength(2);
    writeFileSync(fleet, good);
    expect((await s.pass(3)).emptyConfig).toBeUndefined();
    await s.stop();
    expect(s.out()).not.toMatch(/[1-9]\d* to destroy/);
  });

  it('started on a configuration that declares nothing, plans nothing', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(ws.config, 'fleet.yaml'), 'hsms: []\n');
    const s = session(ws, { configPath: 'quickstart', apply: true, allowDestroy: true });
    expect(await s.pass(1)).toMatchObject({ outcome: { kind: 'no-config' }, emptyConfig: true });
    await s.stop();
    expect(s.out()).toContain('watch plans nothing until it declares something');
    expect((await ws.emulator().describe()).hsms).toHaveLength(2);
  });

  it('passes again when the secret file an invalid configuration lacks appears', async () => {
    const ws = workspace();
    const secret = join(ws.config, 'secrets', 'partition-password.txt');
    const text = readFileSync(secret, 'utf8');
    rmSync(secret);
    const s = session(ws, { configPath: 'quickstart' });
    expect(await s.pass(1)).toMatchObject({ outcome: { kind: 'no-config' }, invalidConfig: { errors: 1 } });
    writeFileSync(secret, text);
    const second = await s.pass(2);
    await s.stop();
    expect(second.outcome).toEqual({ kind: 'pending', changes: 17 });
    expect(s.out()).toMatch(/pass 2 · trigger: quickstart\/secrets\/partition-password\.txt changed ──/);
  });

  it('plans nothing before the first valid configuration, then plans once it validates', async () => {
    const ws = workspace();
    const file = join(ws.config, 'fleet.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('hapgs: [hapg1]', 'hapgs: [hapg9]'));
    const s = session(ws, { configPath: 'quickstart' });
    const first = await s.pass(1);
    expect(first).toMatchObject({ outcome: { kind: 'no-config' }, invalidConfig: { errors: 1 } });
    expect(s.out()).toContain('configuration invalid: 1 error (no valid configuration yet) · nothing planned');
    expect(s.out()).not.toContain('Plan:');
    writeFileSync(file, good);
    const second = await s.pass(2);
    await s.stop();
    expect(second.outcome).toEqual({ kind: 'pending', changes: 17 });
    expect(second.invalidConfig).toBeUndefined();
  });
});

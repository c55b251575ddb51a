import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICKSTART_SECRETS, workspace } from '../reconcile/apply/fixtures.js';

describe('hsmctl plan', () => {
  it('plans the quickstart from an empty world: summary first and last, exit 0; 2 with --detailed-exitcode', async () => {
    const ws = workspace();
    const plain = await ws.cli(['plan', 'quickstart']);
    expect(plain.code).toBe(0);
    const lines = plain.out.trimEnd().split('\n');
    expect(lines[0]).toBe('Plan: 17 to add, 0 to change, 0 to destroy.');
    expect(lines.at(-1)).toBe('Plan: 17 to add, 0 to change, 0 to destroy.');
    expect(plain.out).toContain('+ hsm.create hsm.hsm-a');
    const detailed = await ws.cli(['plan', 'quickstart', '--detailed-exitcode']);
    expect(detailed.code).toBe(2);
  });

  it('after an apply: "No changes", exit 0 even with --detailed-exitcode', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    const after = await ws.cli(['plan', 'quickstart', '--detailed-exitcode']);
    expect(after.code).toBe(0);
    expect(after.out).toBe('No changes. The fleet matches the configuration.\n');
  });

  it('--json prints one plan document; --format script the runbook; neither holds a secret', async () => {
    const ws = workspace();
    const json = await ws.cli(['plan', 'quickstart', '--json']);
    const doc = JSON.parse(json.out) as { formatVersion: number; hasChanges: boolean; applyable: boolean; actions: { kind: string }[] };
    expect(doc).toMatchObject({ formatVersion: 1, hasChanges: true, applyable: true });
    expect(doc.actions.filter((a) => a.kind === 'hsm.create')).toHaveLength(2);
    const script = await ws.cli(['plan', 'quickstart', '--format', 'script']);
    expect(script.out).toContain('cloudhsm create-hsm');
    for (const secret of QUICKSTART_SECRETS) {
      expect(json.out).not.toContain(secret);
      expect(script.out).not.toContain(secret);
    }
  });

  it('refuses contradictory or unknown formats', async () => {
    const ws = workspace();
    const bad = await ws.cli(['plan', 'quickstart', '--format', 'yaml']);
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.err).toContain('unknown --format "yaml"');
    const both = await ws.cli(['plan', 'quickstart', '--json', '--format', 'script']);
    expect(both.code).toBe(1);
  });

  it('an invalid configuration: located diagnostics on stderr, exit 1, the world untouched', async () => {
    const ws = workspace();
    ws.write('fleet.yaml', readFileSync(join(ws.config, 'fleet.yaml'), 'utf8').replace('members: [hsm-a, hsm-b]', 'members: [hsm-a, hsm-c]'));
    const run = await ws.cli(['plan', 'quickstart']);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^quickstart\/fleet\.yaml:\d+:\d+ error hapgs\[0\]\.members\[1\]: unknown HSM "hsm-c"/);
    expect(run.err).toContain('Configuration is invalid: 1 error.');
    expect(existsSync(ws.state)).toBe(false);
  });

  it.each([
    ['plan', '--json'],
    ['apply', '--json', '--auto-approve'],
  ])('%s %s on an invalid configuration prints the validation document on stdout, exit 1', async (command, ...flags) => {
    const ws = workspace();
    ws.write('fleet.yaml', readFileSync(join(ws.config, 'fleet.yaml'), 'utf8').replace('members: [hsm-a, hsm-b]', 'members: [hsm-a, hsm-c]'));
    const run = await ws.cli([command, 'quickstart', ...flags]);
    expect(run.code).toBe(1);
    const document = JSON.parse(run.out) as { formatVersion: number; valid: boolean; diagnostics: { message: string }[] };
    expect(document).toMatchObject({ formatVersion: 1, valid: false, summary: { errors: 1 } });
    expect(document.diagnostics[0]!.message).toContain('unknown HSM "hsm-c"');
    expect(run.err).toContain('Configuration is invalid: 1 error.');
    expect(existsSync(ws.state)).toBe(false);
  });

  it('--out saves the plan with fingerprints and no secret, mode 0600', async () => {
    const ws = workspace();
    const run = await ws.cli(['plan', 'quickstart', '--out', 'tfplan.json']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Saved the plan to tfplan.json. To carry out exactly these actions: hsmctl apply tfplan.json');
    const file = join(ws.dir, 'tfplan.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const saved = JSON.parse(text) as { formatVersion: number; kind: string; config: { path: string; fingerprint: string }; resources: object; plan: { actions: unknown[] }; createdAt: string };
    expect(saved).toMatchObject({ formatVersion: 1, kind: 'hsmctl-plan', config: { path: ws.config } });
    expect(saved.config.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(saved.plan.actions).toHaveLength(17);
    expect(Date.parse(saved.createdAt)).not.toBeNaN();
    for (const secret of QUICKSTART_SECRETS) expect(text).not.toContain(secret);
  });

  it('--out into a directory that does not exist: one line saying so, exit 1', async () => {
    const ws = workspace();
    const run = await ws.cli(['plan', 'quickstart', '--out', 'missing/p.json']);
    expect(run.code).toBe(1);
    expect(run.err).toBe('Error: cannot save the plan to missing/p.json: its directory does not exist\n');
  });

  it('a plan that cannot be applied exits 1 and is not saved', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    ws.write('fleet.yaml', 'hsms: []\n');
    const run = await ws.cli(['plan', 'quickstart', '--out', 'p.json']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('the configuration declares nothing; refusing to destroy');
    expect(run.err).toContain('The plan was not saved to p.json');
    expect(existsSync(join(ws.dir, 'p.json'))).toBe(false);
  });
});

describe('hsmctl plan while changes wait for an unreachable HSM', () => {
  it('does not claim the fleet matches: the headline, --detailed-exitcode 2, and status say it differs', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    await ws.emulator().fail('hsm-b', 'network');
    ws.write('app-2.yaml', 'clients:\n  - name: app-2\n    hapgs: [hapg1]\n');
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0); // sets up what it can

    const plan = await ws.cli(['plan', 'quickstart', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(/^No changes can be made now, but the fleet does not match the configuration yet: 1 change waits until unreachable HSMs answer\.\n/);
    expect(plan.out).toContain('Waiting until unreachable HSMs answer (the warnings below say why):\n  hapg.hapg1.client.app-2\n');
    expect(plan.out).not.toContain('The fleet matches the configuration');
    const json = JSON.parse((await ws.cli(['plan', 'quickstart', '--json'])).out) as { hasChanges: boolean; deferred: string[] };
    expect(json).toMatchObject({ hasChanges: false, deferred: ['hapg.hapg1.client.app-2'] });
    const status = await ws.cli(['status', 'quickstart']);
    expect(status.out).toContain('OutOfSync: 1 change waits until unreachable HSMs answer');
    const statusJson = JSON.parse((await ws.cli(['status', 'quickstart', '--json'])).out) as { sync: { deferred: number }; hapgs: { label: string; sync: string; pendingActions: string[] }[] };
    expect(statusJson.sync.deferred).toBe(1);
    expect(statusJson.hapgs.find((g) => g.label === 'hapg1')).toMatchObject({ sync: 'OutOfSync', pendingActions: ['hapg.hapg1.client.app-2'] });
    const applyJson = JSON.parse((await ws.cli(['apply', 'quickstart', '--auto-approve', '--json'])).out) as { outcome: string; deferred: string[] };
    expect(applyJson).toMatchObject({ outcome: 'no-changes', deferred: ['hapg.hapg1.client.app-2'] });
    expect((await ws.cli(['plan', 'quickstart', '--format', 'script'])).out).toContain('# No changes can be made now, but the fleet does not match the configuration yet');

    await ws.emulator().restore('hsm-b');
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    expect((await ws.cli(['plan', 'quickstart', '--detailed-exitcode'])).code).toBe(0);
  });
});

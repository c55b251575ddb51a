import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAME_TAG } from '../../src/fleet/tags.js';
import type { ObservedFleet } from '../../src/fleet/types.js';
import { workspace, type Workspace } from '../reconcile/apply/fixtures.js';

/** Destructive plans, protect, the empty-configuration guard and the SO-login guard, through the CLI. */

const hsmNamed = (w: ObservedFleet, name: string) => w.hsms.find((h) => h.tags[NAME_TAG] === name)!;
const hapgLabelled = (w: ObservedFleet, label: string) => w.hapgs.find((g) => g.label === label)!;

async function applied(): Promise<Workspace> {
  const ws = workspace();
  const run = await ws.cli(['apply', 'quickstart', '--auto-approve']);
  expect(run.code).toBe(0);
  return ws;
}

function fleetYaml(ws: Workspace): string {
  return readFileSync(join(ws.config, 'fleet.yaml'), 'utf8');
}

/** The quickstart without hsm-b (neither declared nor a member). */
function withoutHsmB(ws: Workspace): void {
  const yaml = fleetYaml(ws)
    .replace(/  - name: hsm-b\n(    .*\n)+/, '')
    .replace('members: [hsm-a, hsm-b]', 'members: [hsm-a]');
  ws.write('fleet.yaml', yaml);
}

describe('apply: destructive plans', () => {
  it('refuses to delete an HSM that left the configuration without --allow-destroy, and does it with it', async () => {
    const ws = await applied();
    withoutHsmB(ws);
    const refused = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Error: this plan cannot be applied:');
    expect(refused.out).toMatch(/hsm\.delete hsm-b: deletes the HSM hsm-b and everything on it; run with --allow-destroy/);
    expect(refused.err).toContain('the plan was refused as a whole; nothing was changed');
    const untouched = await ws.emulator().describe();
    expect(untouched.hsms).toHaveLength(2);
    expect(hapgLabelled(untouched, 'hapg1').members).toHaveLength(2);

    const allowed = await ws.cli(['apply', 'quickstart', '--auto-approve', '--allow-destroy']);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toMatch(/Apply complete! Resources: \d+ added, \d+ changed, [1-9]\d* destroyed\./);
    const after = await ws.emulator().describe();
    expect(after.hsms.map((h) => h.tags[NAME_TAG])).toEqual(['hsm-a']);
    expect((await ws.cli(['plan', 'quickstart', '--detailed-exitcode'])).code).toBe(0);
  });

  it('never re-initializes a protected HSM, even with --allow-destroy', async () => {
    const ws = await applied();
    ws.write('fleet.yaml', fleetYaml(ws).replace(/(  - name: hsm-b\n)/, '$1    label: renamed-b\n    protect: true\n'));
    const run = await ws.cli(['apply', 'quickstart', '--auto-approve', '--allow-destroy']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('hsm.zeroize hsm-b: hsm hsm-b is protected (protect: true) and cannot be zeroized or re-initialized');
    const world = await ws.emulator().describe();
    expect(hsmNamed(world, 'hsm-b')).toMatchObject({ zeroized: false, label: 'hsm-b' });
  });

  it('an empty configuration never destroys the managed fleet without --allow-destroy', async () => {
    const ws = await applied();
    ws.write('fleet.yaml', '# nothing declared\nhsms: []\n');
    const run = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('the configuration declares nothing; refusing to destroy 4 managed resources without --allow-destroy');
    const world = await ws.emulator().describe();
    expect(world.hsms).toHaveLength(2);
    expect(world.hapgs).toHaveLength(1);
  });
});

describe('apply: the SO-login guard', () => {
  it('refuses to log in as SO on an HSM with one attempt left, and says why', async () => {
    const ws = await applied();
    const emu = ws.emulator();
    let world = await emu.describe();
    const b = hsmNamed(world, 'hsm-b');
    // Two wrong logins by hand: one attempt left, the next wrong one would zeroize it.
    for (let i = 0; i < 2; i++) await expect(emu.hsmLogin(b.arn, 'not-the-password')).rejects.toThrow(/LUNA_RET_UM_PIN_INCORRECT/);
    // Make hsm-b's membership need an SO login again.
    await emu.removeHsmFromHapg({ hsmArn: b.arn, hapgArn: hapgLabelled(world, 'hapg1').arn });

    const run = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('Error: hapg.hapg1.member.hsm-b (hapg.addMember) failed: refusing to log in as SO on hsm hsm-b: only 1 SO login attempt left');
    expect(run.out).toContain('would zeroize it');
    expect(run.out).toContain('file secrets/so-password.txt');
    expect(run.out).toMatch(/Apply failed: 1 action failed, \d+ done, \d+ not started\./);
    world = await emu.describe();
    expect(hsmNamed(world, 'hsm-b')).toMatchObject({ soLoginAttemptsLeft: 1, zeroized: false });

    const json = await ws.cli(['apply', 'quickstart', '--auto-approve', '--json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.out) as { outcome: string; errors: { action: string; code: string }[]; actions: { status: string }[] };
    expect(doc.outcome).toBe('failed');
    expect(doc.errors).toEqual([expect.objectContaining({ action: 'hapg.addMember:hapg1.hsm-b', code: 'so.attemptsLeft' })]);
    expect(doc.actions.some((a) => a.status === 'not-started')).toBe(true);
  });

  it('a refused SO password stops every action on that HSM: tried once, reported, never retried, never zeroized', async () => {
    const ws = await applied();
    // Two more groups holding hsm-a, applied; then hsm-a removed from both by hand: re-adding it
    // needs two SO logins on hsm-a, both ready at once.
    ws.write(
      'more.yaml',
      ['hapgs:', ...['hapg2', 'hapg3'].map((g) => `  - label: ${g}\n    members: [hsm-a]\n    partitionPassword: { file: secrets/partition-password.txt }`)].join('\n') + '\n',
    );
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    const emu = ws.emulator();
    const before = await emu.describe();
    const a = hsmNamed(before, 'hsm-a');
    for (const g of ['hapg2', 'hapg3']) await emu.removeHsmFromHapg({ hsmArn: a.arn, hapgArn: hapgLabelled(before, g).arn });
    ws.write('secrets/so-password.txt', 'a-wrong-so-password\n');

    const run = await ws.cli(['apply', 'quickstart', '--auto-approve', '--parallelism', '4']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('hsm hsm-a refused the configured SO password (file secrets/so-password.txt): A00000 : LUNA_RET_UM_PIN_INCORRECT');
    expect(run.out).toContain('hsmctl stops every action on this HSM and does not retry it');
    expect(run.out).toContain('not logging in as SO on hsm hsm-a: its SO password was refused (A00000 : LUNA_RET_UM_PIN_INCORRECT) earlier in this run');
    expect(run.out).toContain('Apply failed: 2 actions failed, 0 done, 0 not started.');
    expect(run.out).not.toContain('a-wrong-so-password');
    // One wrong login, not two: the second member was refused without logging in.
    const after = await emu.describe();
    expect(hsmNamed(after, 'hsm-a')).toMatchObject({ soLoginAttemptsLeft: 2, zeroized: false, label: 'hsm-a' });
    expect(hapgLabelled(after, 'hapg1').members).toHaveLength(2);
  });
});

describe('apply: a removal held back until its recoveries make it safe', () => {
  it('ends 0 saying what is ready next; the next apply removes the member and the key object survives', async () => {
    const ws = workspace();
    const three = fleetYaml(ws)
      .replace('members: [hsm-a, hsm-b]', 'members: [hsm-a, hsm-b, hsm-c]')
      .replace('\nhapgs:', '  - name: hsm-c\n    availabilityZone: us-east-1c\n    cloningDomain: { file: secrets/cloning-domain.txt }\n    soPassword: { file: secrets/so-password.txt }\n\nhapgs:');
    ws.write('fleet.yaml', three);
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    // By hand: autoRecovery off, hsm-a and hsm-b away while a key object is written, then back.
    await ws.emulator().setHaSettings({ clientName: 'app-1', settings: { autoRecovery: false, retry: -1, interval: 60, haOnly: true } });
    for (const args of [['fail', 'hsm-a'], ['fail', 'hsm-b'], ['keys', 'create', 'app-1', 'hapg1', 'k1'], ['restore', 'hsm-a'], ['restore', 'hsm-b']]) {
      const r = await ws.cli(['emu', ...args]);
      expect(r.code, r.out + r.err).toBe(0);
    }
    ws.write('fleet.yaml', three.replace('members: [hsm-a, hsm-b, hsm-c]', 'members: [hsm-a, hsm-b]'));

    const plan = await ws.cli(['plan', 'quickstart']);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('Held back until it is safe (this plan works toward it; a later plan makes it):\n  hapg.hapg1.member.hsm-c\n');
    expect(plan.out).not.toContain('cannot be applied');

    const first = await ws.cli(['apply', 'quickstart', '--auto-approve', '--json']);
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.out) as { outcome: string; verification: { remaining: { kind: string; address: string }[] } };
    expect(doc.outcome).toBe('held-back');
    expect(doc.verification.remaining).toContainEqual(expect.objectContaining({ kind: 'hapg.removeMember', address: 'hapg.hapg1.member.hsm-c' }));

    const second = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(second.code).toBe(0);
    expect(second.out).toContain('Apply complete!');
    expect((await ws.cli(['plan', 'quickstart', '--detailed-exitcode'])).code).toBe(0);
    const keys = await ws.cli(['emu', 'keys', 'list', 'hapg1']);
    expect(keys.out).toMatch(/\bk1\b/);
    const world = await ws.emulator().describe();
    expect(hapgLabelled(world, 'hapg1').members.map((m) => m.hsmArn)).toEqual([hsmNamed(world, 'hsm-a').arn, hsmNamed(world, 'hsm-b').arn]);
  });
});

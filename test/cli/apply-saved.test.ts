import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAME_TAG } from '../../src/fleet/tags.js';
import { shortId } from '../../src/fleet/resolve.js';
import { QUICKSTART_SECRETS, workspace, type Workspace } from '../reconcile/apply/fixtures.js';

/** `hsmctl plan --out FILE` then `hsmctl apply FILE`: exactly that plan, or a refusal naming what changed. */

async function savedPlan(ws: Workspace, extra: string[] = []): Promise<void> {
  const run = await ws.cli(['plan', 'quickstart', '--out', 'saved.plan', ...extra]);
  expect(run.code).toBe(0);
}

function addClient(ws: Workspace, name: string): void {
  ws.write(`${name}.yaml`, `clients:\n  - name: ${name}\n    hapgs: [hapg1]\n`);
}

describe('apply PLANFILE', () => {
  it('applies exactly the saved actions without asking, then nothing is left to do', async () => {
    const ws = workspace();
    await savedPlan(ws);
    const run = await ws.cli(['apply', 'saved.plan']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Apply complete! Resources: 17 added, 0 changed, 0 destroyed.');
    const saved = JSON.parse(readFileSync(join(ws.dir, 'saved.plan'), 'utf8')) as { plan: { actions: { id: string }[] } };
    const journal = readFileSync(join(ws.state, 'journal.jsonl'), 'utf8');
    for (const a of saved.plan.actions) expect(journal).toContain(`"action":"${a.id}"`);
    expect((await ws.cli(['plan', 'quickstart', '--detailed-exitcode'])).code).toBe(0);
  });

  it('applies a plan saved before plans could hold changes back (no heldBack field)', async () => {
    const ws = workspace();
    await savedPlan(ws);
    const file = join(ws.dir, 'saved.plan');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { plan: Record<string, unknown> };
    delete saved.plan.heldBack;
    writeFileSync(file, JSON.stringify(saved));
    const run = await ws.cli(['apply', 'saved.plan']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Apply complete! Resources: 17 added, 0 changed, 0 destroyed.');
  });

  it('refuses a stale plan, naming a resource that appeared since (and changes nothing)', async () => {
    const ws = workspace();
    await savedPlan(ws);
    const emu = ws.emulator();
    const { hsmArn } = await emu.createHsm({ clientToken: 'by-hand', availabilityZone: 'us-east-1c' });
    const run = await ws.cli(['apply', 'saved.plan']);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`Error: plan is stale: hsm.${shortId(hsmArn)} was added since it was made at`);
    expect(run.err).toContain('Run "hsmctl plan" again');
    expect((await emu.describe()).hsms).toHaveLength(1);
  });

  it('refuses a stale plan, naming a managed resource changed out of band', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    addClient(ws, 'app-2');
    await savedPlan(ws);
    const emu = ws.emulator();
    const world = await emu.describe();
    const a = world.hsms.find((h) => h.tags[NAME_TAG] === 'hsm-a')!;
    const partition = world.hapgs[0]!.members.find((m) => m.hsmArn === a.arn)!.partitionName;
    await emu.revokePartition({ hsmArn: a.arn, clientName: 'app-1', partitionName: partition });
    const run = await ws.cli(['apply', 'saved.plan']);
    expect(run.code).toBe(1);
    // The HSM's assignment changed, and so did the client's HA view of that member.
    expect(run.err).toContain('plan is stale: client.app-1 changed; hsm.hsm-a changed since it was made');
    expect(run.err).not.toContain('hsm.hsm-b');
    expect((await emu.describe()).clients.map((c) => c.name)).toEqual(['app-1']);
  });

  it('refuses a stale plan when the configuration changed', async () => {
    const ws = workspace();
    await savedPlan(ws);
    addClient(ws, 'app-2');
    const run = await ws.cli(['apply', 'saved.plan']);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`plan is stale: the configuration (${ws.config}) changed since it was made`);
  });

  it('is not stale because time passed', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    addClient(ws, 'app-2');
    await savedPlan(ws);
    await ws.emulator().advance(3_600_000);
    const run = await ws.cli(['apply', 'saved.plan']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Apply complete!');
  });

  it('a saved destructive plan carries its --allow-destroy; --allow-destroy at apply time is refused', async () => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    ws.write('fleet.yaml', 'hsms: []\n');
    await savedPlan(ws, ['--allow-destroy']);
    const flagged = await ws.cli(['apply', 'saved.plan', '--allow-destroy']);
    expect(flagged.code).toBe(1);
    expect(flagged.err).toContain('--allow-destroy is decided when a plan is made');
    const run = await ws.cli(['apply', 'saved.plan']);
    expect(run.code).toBe(0);
    expect((await ws.emulator().describe()).hsms).toHaveLength(0);
    for (const secret of QUICKSTART_SECRETS) expect(ws.writtenText()).not.toContain(secret);
  });

  it('a YAML file is read as configuration', async () => {
    const ws = workspace();
    const run = await ws.cli(['apply', 'quickstart/fleet.yaml', '--auto-approve']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Apply complete!');
  });

  it.each([
    ['an empty file', 'plan.json', ''],
    ['a truncated plan', 'saved.plan', '{"kind": "hsmctl-plan", "formatVersion": 1, "plan": {'],
    ['the output of plan --json', 'plan.json', '{"formatVersion": 1, "hasChanges": false, "actions": []}'],
  ])('any other file must be a plan: %s is refused, even with --allow-destroy, and nothing changes', async (_what, name, text) => {
    const ws = workspace();
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    const before = await ws.emulator().describe();
    ws.write(name, text);
    const run = await ws.cli(['apply', `quickstart/${name}`, '--auto-approve', '--allow-destroy']);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`Error: quickstart/${name} is not an hsmctl plan file (make one with "hsmctl plan --out FILE")`);
    expect(run.out).toBe('');
    expect(await ws.emulator().describe()).toEqual({ ...before, observedAt: expect.any(String) });
  });
});

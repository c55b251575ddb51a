import { describe, expect, it } from 'vitest';
import { plan } from '../../src/reconcile/plan/index.js';
import type { Plan } from '../../src/reconcile/plan/types.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanScript } from '../../src/render/plan-script.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { convergedWorld } from '../fixtures/worlds/converged.js';
import { SECRET_VALUES, edit, quickstart } from '../fixtures/worlds/desired.js';
import { addUnmanaged, cutOff, needsManualRecovery, perturb } from '../fixtures/worlds/perturb.js';
import { GOLDEN_SCENARIOS, drifted, quickstartFromEmpty, type Scenario } from '../fixtures/worlds/scenarios.js';

const planOf = (s: Scenario): Plan => plan(s.desired, s.observed, s.options);

describe.each(GOLDEN_SCENARIOS)('rendering the $name plan', (scenario) => {
  const p = planOf(scenario);

  it('as text', async () => {
    const text = renderPlanText(p, { colour: false });
    await expect(text).toMatchFileSnapshot(`__golden__/${scenario.name}.txt`);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Plan: \d+ to add, \d+ to change, \d+ to destroy/);
    expect(lines.at(-1)).toBe(lines[0]);
    expect(text).not.toContain('\u001b[');
  });

  it('as JSON', async () => {
    const json = renderPlanJson(p);
    await expect(json).toMatchFileSnapshot(`__golden__/${scenario.name}.json`);
    const doc = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(['formatVersion', 'hasChanges', 'applyable', 'summary', 'actions', 'drift', 'warnings']),
    );
    expect(doc.formatVersion).toBe(1);
    for (const a of doc.actions as Record<string, unknown>[]) {
      expect(Object.keys(a)).toEqual(expect.arrayContaining(['id', 'kind', 'address', 'dependsOn', 'destructive', 'reason', 'before', 'after']));
    }
  });

  it('as a runbook', async () => {
    const script = renderPlanScript(p, scenario.desired);
    await expect(script).toMatchFileSnapshot(`__golden__/${scenario.name}.runbook.txt`);
    expect(script.match(/^# Step \d+\//gm)?.length).toBe(p.actions.length);
  });
});

describe('the quickstart runbook', () => {
  it('reads as the seed procedure, command by command', () => {
    const script = renderPlanScript(planOf(quickstartFromEmpty), quickstartFromEmpty.desired);
    const commands = script
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(commands).toEqual([
      'cloudhsm create-hsm',
      'cloudhsm describe-hsm',
      'cloudhsm create-hsm',
      'cloudhsm describe-hsm',
      'cloudhsm initialize-hsm',
      'cloudhsm initialize-hsm',
      'vtl createCert',
      'cloudhsm create-client',
      'scp manager@<hsm-a-ip>:server.pem',
      'vtl addServer',
      'scp manager@<hsm-b-ip>:server.pem',
      'vtl addServer',
      'scp /usr/safenet/lunaclient/cert/client/app-1.pem',
      'client register',
      'scp /usr/safenet/lunaclient/cert/client/app-1.pem',
      'client register',
      'cloudhsm create-hapg',
      'cloudhsm add-hsm-to-hapg',
      'cloudhsm add-hsm-to-hapg',
      'client assignPartition',
      'client assignPartition',
      'cloudhsm register-client-to-hapg',
      'cloudhsm get-client-configuration',
      'vtl haAdmin',
    ]);
  });

  it('runs appliance commands over SSH on the right HSM, with secrets as placeholders', () => {
    const script = renderPlanScript(planOf(quickstartFromEmpty), quickstartFromEmpty.desired);
    expect(script).toContain('# on hsm-a (lunash, ssh manager@<hsm-a-ip>):\nclient register -client app-1 -hostname app-1\n');
    expect(script).toContain(
      'cloudhsm initialize-hsm --hsm-arn <hsm-a-arn> --label prod-a --cloning-domain <cloning-domain:hsm-a> --so-password <so-password:hsm-a>',
    );
    expect(script).toContain('--partition-password <partition-password:hapg1>');
    expect(script).toContain('vtl haAdmin -autoRecovery -retry -1 -interval 60');
  });

  it('uses the real values once they exist', () => {
    const script = renderPlanScript(planOf(drifted), drifted.desired);
    const hsmA = drifted.observed.hsms.find((h) => h.label === 'prod-a')!;
    expect(script).toContain(`vtl addServer -n ${hsmA.eniIp} -c server.pem`);
    expect(script).toMatch(/^client assignPartition -client app-1 -partition hapg-[0-9a-f]{8}_\d{6}$/m);
  });
});

describe('the text plan', () => {
  const base = quickstart();
  const converged = convergedWorld(base);

  it('says so when there is nothing to do', () => {
    expect(renderPlanText(plan(base, converged), { colour: false })).toBe('No changes. The fleet matches the configuration.\n');
  });

  it('still reports unreachable and unmanaged resources with no changes', () => {
    const text = renderPlanText(plan(base, perturb(converged, cutOff('hsm-b'), addUnmanaged)), { colour: false });
    expect(text.split('\n')[0]).toBe('No changes. The fleet matches the configuration.');
    expect(text).toMatch(/Unreachable HSMs[^\n]*\n {2}hsm-b {2}arn:aws:cloudhsm:us-east-1:123456789012:hsm-[0-9a-f]{8} {2}serial \d{6} {2}power-lost/);
    expect(text).toContain('Not managed by hsmctl (never touched):');
    expect(text).toContain('Warning: hsm hsm-b is unreachable (power-lost)');
  });

  it('marks a re-initialization -/+ and a recovery, and counts them in the summary', () => {
    const desired = edit(base, (d) => Object.assign(d.hsms[0]!, { label: 'prod-a2' }));
    const p = plan(desired, perturb(converged, needsManualRecovery('app-1', 'hapg1', 'hsm-b')), { allowDestroy: true });
    const text = renderPlanText(p, { colour: false });
    expect(text).toMatch(/^ {2}-\/\+ hsm\.zeroize hsm\.hsm-a$/m);
    expect(text).toMatch(/^ {2}-\/\+ hsm\.initialize hsm\.hsm-a$/m);
    expect(text).toMatch(/^ {8}~ label {9}= "prod-a" -> "prod-a2"$/m);
    expect(text).toMatch(/^ {4}~ hapg\.recoverMember client\.app-1\.hapg\.hapg1\.member\.hsm-b$/m);
    expect(text).toContain('# hsm.hsm-a will be re-initialized (replaced)');
    expect(text.split('\n')[0]).toBe('Plan: 3 to add, 1 to change, 1 to destroy, 2 to replace, 1 to recover.');
  });

  it('uses colour only when asked', () => {
    const p = planOf(drifted);
    const coloured = renderPlanText(p, { colour: true });
    expect(coloured).toContain('\u001b[32m+\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(p, { colour: false }));
  });
});

describe('secrets', () => {
  const base = quickstart();
  const worlds: [string, Plan][] = [
    ...GOLDEN_SCENARIOS.map((s): [string, Plan] => [s.name, planOf(s)]),
    ['replace', plan(edit(base, (d) => Object.assign(d.hsms[0]!, { label: 'x' })), convergedWorld(base), { allowDestroy: true })],
    ['empty', plan(edit(base, (d) => Object.assign(d, { hsms: [], hapgs: [], clients: [] })), convergedWorld(base))],
  ];

  it.each(worlds)('never appear in any rendering of the %s plan', (_name, p) => {
    const renderings = [renderPlanText(p, { colour: false }), renderPlanText(p, { colour: true }), renderPlanJson(p), renderPlanScript(p, base)];
    expect(SECRET_VALUES.size).toBeGreaterThan(3);
    for (const text of renderings) for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });

  it('show as (sensitive) or as placeholders', () => {
    const p = planOf(quickstartFromEmpty);
    expect(renderPlanText(p, { colour: false })).toContain('+ cloningDomain = (sensitive)');
    expect(renderPlanJson(p)).toContain('"soPassword": "(sensitive)"');
    expect(renderPlanScript(p, quickstartFromEmpty.desired)).toContain('--so-password <so-password:hsm-b>');
  });
});

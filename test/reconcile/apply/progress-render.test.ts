import { describe, expect, it } from 'vitest';
import type { ActionRef, ApplyEvent } from '../../../src/reconcile/apply/events.js';
import type { ActionReport, ApplyResult } from '../../../src/reconcile/apply/result.js';
import { STOPPED, countResults } from '../../../src/reconcile/apply/result.js';
import { formatElapsed, progressLines } from '../../../src/render/apply-progress.js';
import { renderApplySummary } from '../../../src/render/apply-summary.js';
import { renderApplyJson } from '../../../src/render/apply-json.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import { emptyWorld } from '../../fixtures/worlds/converged.js';
import { quickstart } from '../../fixtures/worlds/desired.js';

const ref: ActionRef = { id: 'hsm.create:hsm-a', kind: 'hsm.create', address: 'hsm.hsm-a', change: 'create', doing: 'Creating', done: 'Creation complete' };

function result(reports: ActionReport[], outcome: ApplyResult['outcome']): ApplyResult {
  return { run: 'r1', outcome, actions: reports, counts: countResults(reports), durationMs: 1234 };
}

describe('apply progress and summary', () => {
  it.each([
    [{ type: 'action.started', action: ref }, ['hsm.hsm-a: Creating... [hsm.create]']],
    [{ type: 'action.done', action: ref, result: 'created', durationMs: 210 }, ['hsm.hsm-a: Creation complete after 0.2s']],
    [{ type: 'action.done', action: ref, result: 'unchanged (already there)', durationMs: 12 }, ['hsm.hsm-a: Already there, nothing to do (checked in 0.0s)']],
    [{ type: 'action.failed', action: ref, error: { code: 'X', message: 'boom' }, durationMs: 65_000 }, ['hsm.hsm-a: Failed after 1m5s']],
    [
      { type: 'action.failed', action: ref, error: { code: STOPPED, message: 'hsmctl is stopping (interrupted): no further device operation was started' }, durationMs: 10 },
      ['hsm.hsm-a: Stopped after 0.0s: hsmctl is stopping (interrupted): no further device operation was started'],
    ],
    [{ type: 'action.progress', action: ref, message: 'Still waiting for provisioning... [10s elapsed]' }, ['hsm.hsm-a: Still waiting for provisioning... [10s elapsed]']],
    [{ type: 'action.notStarted', action: ref }, []],
  ] as [ApplyEvent, string[]][])('%#: %j', (event, lines) => {
    expect(progressLines(event, false)).toEqual(lines);
  });

  it('colours only when asked', () => {
    const event: ApplyEvent = { type: 'action.started', action: ref };
    expect(progressLines(event, true).join('')).toContain('\u001b[');
    expect(progressLines(event, false).join('')).not.toContain('\u001b[');
  });

  it('formats elapsed time like Terraform', () => {
    expect([0, 49, 950, 59_949, 60_000, 125_400].map(formatElapsed)).toEqual(['0.0s', '0.0s', '0.9s', '59.9s', '1m0s', '2m5s']);
  });

  it('a complete run counts what changed and what was already in place', () => {
    const reports: ActionReport[] = [
      { ...ref, status: 'done', result: 'created', durationMs: 1 },
      { ...ref, id: 'b', change: 'update', status: 'done', result: 'configured', durationMs: 1 },
      { ...ref, id: 'c', change: 'replace', status: 'done', result: 'replaced', durationMs: 1 },
      { ...ref, id: 'd', status: 'done', result: 'unchanged (already there)', durationMs: 1 },
    ];
    expect(renderApplySummary(result(reports, 'complete'), false)).toEqual([
      'Apply complete! Resources: 1 added, 1 changed, 0 destroyed, 1 replaced.',
      '1 action found its effect already in place.',
    ]);
  });

  it('a failed run says what failed, what was done and what was left undone', () => {
    const reports: ActionReport[] = [
      { ...ref, status: 'done', result: 'created', durationMs: 1 },
      { ...ref, id: 'hapg.addMember:hapg1.hsm-a', kind: 'hapg.addMember', address: 'hapg.hapg1.member.hsm-a', status: 'failed', error: { code: 'C', message: 'refused' }, durationMs: 1 },
      { ...ref, id: 'partition.assign:x', kind: 'partition.assign', address: 'hsm.hsm-a.partition.hapg1.app-1', status: 'not-started' },
    ];
    const text = renderApplySummary(result(reports, 'failed'), false).join('\n');
    expect(text).toContain('Error: hapg.hapg1.member.hsm-a (hapg.addMember) failed: refused');
    expect(text).toContain('Apply failed: 1 action failed, 1 done, 1 not started.');
    expect(text).toContain('Done before the failure: Resources: 1 added, 0 changed, 0 destroyed.');
    expect(text).toContain('Left undone (not started):\n  - partition.assign hsm.hsm-a.partition.hapg1.app-1');
  });

  it('a run stopped on purpose (Ctrl-C) says it stopped, not that it failed, and what it left', () => {
    const reports: ActionReport[] = [
      { ...ref, status: 'done', result: 'created', durationMs: 1 },
      { ...ref, id: 'hapg.addMember:hapg1.hsm-a', kind: 'hapg.addMember', address: 'hapg.hapg1.member.hsm-a', status: 'failed', error: { code: STOPPED, message: 'stopping' }, durationMs: 1 },
      { ...ref, id: 'partition.assign:x', kind: 'partition.assign', address: 'hsm.hsm-a.partition.hapg1.app-1', status: 'not-started' },
    ];
    const text = renderApplySummary(result(reports, 'stopped'), false).join('\n');
    expect(text).not.toMatch(/Error|failed|Fix the cause/);
    expect(text).toContain('Apply stopped before it finished: 1 done, 2 left undone.');
    expect(text).toContain('Done before it stopped: Resources: 1 added, 0 changed, 0 destroyed.');
    expect(text).toContain('Left undone:\n  - hapg.addMember hapg.hapg1.member.hsm-a\n  - partition.assign hsm.hsm-a.partition.hapg1.app-1');
    // One real failure among stopped actions makes the run failed (the executor's verdict).
    const mixed = reports.map((r) => (r.status === 'not-started' ? { ...r, status: 'failed' as const, error: { code: 'C', message: 'refused' }, durationMs: 1 } : r));
    expect(renderApplySummary(result(mixed, 'failed'), false).join('\n')).toContain('Apply failed: 2 actions failed');
  });

  it('a complete run whose fresh plan still has changes waiting for unreachable HSMs names them', () => {
    const remaining = { ...plan(quickstart(), emptyWorld()), actions: [], hasChanges: false, deferred: ['hapg.hapg1.client.app-2'] };
    const r = { ...result([{ ...ref, status: 'done', result: 'created', durationMs: 1 }], 'complete'), verification: { converged: true, remaining } };
    const text = renderApplySummary(r, false).join('\n');
    expect(text).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    expect(text).toContain('1 change waits until unreachable HSMs answer: hapg.hapg1.client.app-2.\nRun "hsmctl apply" again once they do.');
  });

  it('a run that did not converge names what a fresh plan still finds', () => {
    const remaining = plan(quickstart(), emptyWorld());
    const r = { ...result([{ ...ref, status: 'done', result: 'created', durationMs: 1 }], 'not-converged'), verification: { converged: false, remaining } };
    const text = renderApplySummary(r, false).join('\n');
    expect(text).toContain('But the fleet does not match the configuration yet: a fresh plan still finds work (Plan: 17 to add, 0 to change, 0 to destroy.)');
    expect(text).toContain('  - hsm.create hsm.hsm-a: hsm hsm-a is declared but does not exist');
  });

  it('a run whose plan held changes back says they are next, and how to make them', () => {
    const ready = plan(quickstart(), emptyWorld());
    const r = { ...result([{ ...ref, change: 'recover', status: 'done', result: 'recovered', durationMs: 1 }], 'held-back'), verification: { converged: false, remaining: ready } };
    const text = renderApplySummary(r, false).join('\n');
    expect(text).toContain('Apply complete! Resources: 0 added, 0 changed, 0 destroyed, 1 recovered.');
    expect(text).toContain('The plan held changes back until these actions made them safe; a fresh plan has them (Plan: 17 to add, 0 to change, 0 to destroy.)');
    expect(text).toContain('  - hsm.create hsm.hsm-a: hsm hsm-a is declared but does not exist');
    expect(text).toContain('Run "hsmctl apply" again to make them.');
    const refused = { ...r, verification: { converged: false, remaining: { ...ready, applyable: false, refusals: ['hapg.removeMember hapg1 hsm-c: deletes the last copy'] } } };
    expect(renderApplySummary(refused, false).join('\n')).toContain(
      'They are not safe yet: members must recover into rotation first ("hsmctl plan" says which). Then run "hsmctl apply" again.',
    );
  });

  it('the JSON result lists each action with its status, and the errors', () => {
    const reports: ActionReport[] = [
      { ...ref, status: 'done', result: 'created', durationMs: 12.345, startedAt: '2026-01-01T00:00:00.000Z' },
      { ...ref, id: 'x', status: 'failed', error: { code: 'C', message: 'refused' }, durationMs: 1 },
      { ...ref, id: 'y', status: 'not-started' },
    ];
    const doc = JSON.parse(renderApplyJson(result(reports, 'failed'), plan(quickstart(), emptyWorld()))) as Record<string, unknown>;
    expect(doc).toMatchObject({
      formatVersion: 1,
      outcome: 'failed',
      summary: { added: 1 },
      errors: [{ action: 'x', address: 'hsm.hsm-a', code: 'C', message: 'refused' }],
      verification: null,
    });
    expect(doc.actions).toEqual([
      { id: 'hsm.create:hsm-a', kind: 'hsm.create', address: 'hsm.hsm-a', change: 'create', status: 'done', result: 'created', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 12.3, error: null },
      { id: 'x', kind: 'hsm.create', address: 'hsm.hsm-a', change: 'create', status: 'failed', result: null, startedAt: null, durationMs: 1, error: { code: 'C', message: 'refused' } },
      { id: 'y', kind: 'hsm.create', address: 'hsm.hsm-a', change: 'create', status: 'not-started', result: null, startedAt: null, durationMs: null, error: null },
    ]);
  });
});

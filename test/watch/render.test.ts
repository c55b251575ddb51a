import { describe, expect, it } from 'vitest';
import { clockTime, renderPassHeader, renderWatchBanner, triggerWords } from '../../src/render/watch-header.js';
import { renderPassStatus } from '../../src/render/watch-status.js';
import type { PassOutcome, PassReport } from '../../src/watch/report.js';
import type { Trigger } from '../../src/watch/triggers.js';

/** What a person sees of each pass: the header and the one-line status. */

const AT = new Date(2024, 4, 6, 18, 3, 12);

describe('pass header', () => {
  it.each([
    { name: 'start', trigger: { kind: 'start' }, words: 'start' },
    { name: 'one file', trigger: { kind: 'config', files: ['fleet/hsms.yaml'] }, words: 'fleet/hsms.yaml changed' },
    { name: 'three files', trigger: { kind: 'config', files: ['a.yaml', 'b.yaml', 'c.yaml'] }, words: 'a.yaml, b.yaml, c.yaml changed' },
    { name: 'five files', trigger: { kind: 'config', files: ['a', 'b', 'c', 'd', 'e'] }, words: 'a, b, c and 2 more changed' },
    { name: 'state', trigger: { kind: 'state' }, words: 'state changed (out of band)' },
    { name: 'interval', trigger: { kind: 'interval', ms: 30_000 }, words: 'interval (30s)' },
    { name: 'interval of 90s', trigger: { kind: 'interval', ms: 90_000 }, words: 'interval (1m30s)' },
    { name: 'lock released', trigger: { kind: 'lock-released' }, words: 'lock released' },
    { name: 'follow-up', trigger: { kind: 'follow-up', reason: 'the fleet still differed' }, words: 'follow-up (the fleet still differed)' },
  ] satisfies { name: string; trigger: Trigger; words: string }[])('$name', ({ trigger, words }) => {
    expect(triggerWords(trigger)).toBe(words);
  });

  it('names the time, the pass and every trigger; passes after the first are set apart by a blank line', () => {
    expect(clockTime(AT)).toBe('18:03:12');
    expect(renderPassHeader(1, [{ kind: 'start' }], AT, false)).toBe('── 18:03:12 pass 1 · trigger: start ──\n');
    expect(renderPassHeader(3, [{ kind: 'config', files: ['fleet/hsms.yaml'] }, { kind: 'state' }], AT, false)).toBe(
      '\n── 18:03:12 pass 3 · trigger: fleet/hsms.yaml changed + state changed (out of band) ──\n',
    );
  });

  it('uses colour only when asked', () => {
    expect(renderPassHeader(1, [{ kind: 'start' }], AT, false)).not.toContain('\u001b[');
    expect(renderPassHeader(1, [{ kind: 'start' }], AT, true)).toBe('\u001b[2m──\u001b[22m \u001b[1m18:03:12 pass 1\u001b[22m \u001b[2m·\u001b[22m trigger: start \u001b[2m──\u001b[22m\n');
  });

  it('banner says what is watched and whether passes apply', () => {
    expect(renderWatchBanner({ config: 'fleet', state: 'state', apply: false, intervalMs: 30_000 }, false)).toBe(
      'Watching fleet and the world in state, and re-observing every 30s; planning (not applying: add --apply for that). Press Ctrl-C to stop.\n\n',
    );
    expect(renderWatchBanner({ config: '.', state: '/var/hsm', apply: true, intervalMs: 0 }, false)).toBe(
      'Watching . and the world in /var/hsm; planning and applying. Press Ctrl-C to stop.\n\n',
    );
  });
});

const report = (outcome: PassOutcome, extra: Partial<PassReport> = {}): PassReport => ({ pass: 1, outcome, unreachable: [], durationMs: 5, ...extra });
const applied = (outcome: 'complete' | 'failed' | 'not-converged' | 'held-back', actions: number, failed = 0, notStarted = 0): PassOutcome => ({
  kind: 'applied',
  outcome,
  actions,
  failed,
  notStarted,
  durationMs: 412,
});

describe('status line', () => {
  it.each([
    { name: 'in sync', report: report({ kind: 'in-sync' }), line: '✓ in sync' },
    { name: 'one change pending', report: report({ kind: 'pending', changes: 1 }), line: '1 change pending (run with --apply, or "hsmctl apply", to make them)' },
    { name: 'changes pending', report: report({ kind: 'pending', changes: 2 }), line: '2 changes pending (run with --apply, or "hsmctl apply", to make them)' },
    { name: 'refused', report: report({ kind: 'refused', refusals: 1 }), line: '✗ plan refused as a whole: nothing was changed (see the refusal above)' },
    { name: 'refused twice', report: report({ kind: 'refused', refusals: 2 }), line: '✗ plan refused as a whole: nothing was changed (see the 2 refusals above)' },
    { name: 'applied', report: report(applied('complete', 3)), line: '✓ applied 3 actions in 0.4s; in sync' },
    { name: 'applied one', report: report(applied('complete', 1)), line: '✓ applied 1 action in 0.4s; in sync' },
    {
      name: 'applied, with a change left waiting',
      report: report({ ...applied('complete', 4), waiting: 1 } as PassOutcome),
      line: 'applied 4 actions in 0.4s; 1 change waits until unreachable HSMs answer',
    },
    { name: 'nothing can be done now', report: report({ kind: 'waiting', changes: 2 }), line: 'nothing can be done now: 2 changes wait until unreachable HSMs answer' },
    { name: 'not converged', report: report(applied('not-converged', 3)), line: 'applied 3 actions in 0.4s, but the fleet still differs; looking again' },
    { name: 'held back', report: report(applied('held-back', 6)), line: 'applied 6 actions in 0.4s; the changes it held back are next; looking again' },
    { name: 'failed', report: report(applied('failed', 1, 1, 2)), line: '✗ apply failed: 1 failed, 2 not started; will retry on the next change' },
    {
      name: 'locked',
      report: report({ kind: 'locked', message: 'the state is locked by ann@h (pid 7, operation "apply", since x)' }),
      line: 'waiting: the state is locked by ann@h (pid 7, operation "apply", since x); will retry when the lock is released',
    },
    { name: 'error', report: report({ kind: 'error', message: 'the store is locked' }), line: '✗ pass failed: the store is locked; will retry on the next change' },
    {
      name: 'interrupted',
      report: report({ kind: 'interrupted' }),
      line: 'interrupted: watch stopped between device operations; the next apply picks up where it stopped',
    },
    {
      name: 'invalid, last good kept',
      report: report({ kind: 'in-sync' }, { invalidConfig: { errors: 2 } }),
      line: 'configuration invalid: 2 errors (keeping the last good configuration) · ✓ in sync',
    },
    {
      name: 'invalid before any good one',
      report: report({ kind: 'no-config' }, { invalidConfig: { errors: 1 } }),
      line: 'configuration invalid: 1 error (no valid configuration yet) · nothing planned',
    },
    { name: 'unreachable HSMs', report: report({ kind: 'in-sync' }, { unreachable: ['hsm-b', 'hsm-c'] }), line: '✓ in sync · 2 HSMs unreachable: hsm-b, hsm-c' },
  ])('$name', ({ report: r, line }) => {
    expect(renderPassStatus(r, false)).toBe(`${line}\n`);
  });

  it('colours the verdict on a terminal', () => {
    expect(renderPassStatus(report({ kind: 'in-sync' }), true)).toBe('\u001b[32m✓ in sync\u001b[39m\n');
    expect(renderPassStatus(report({ kind: 'refused', refusals: 1 }), true)).toMatch(/^\u001b\[31m✗ plan refused/);
  });
});

import { describe, expect, it } from 'vitest';
import { gitSync, lastAppliedLine, syncLine } from '../../src/gitops/index.js';
import type { AppliedRevision, Revision, SyncInputs } from '../../src/gitops/index.js';

/** Sync with HEAD: every condition that fails is named. */

const A = 'aaaaaaa1111111111111111111111111111111111'.slice(0, 40);
const B = 'bbbbbbb2222222222222222222222222222222222'.slice(0, 40);
const head = (commit: string, dirty = false): Revision => ({ commit, dirty });
const applied = (commit: string | null, dirty = false, configPath = '/cfg'): AppliedRevision => ({ commit, dirty, configPath, appliedAt: '2024-01-01T00:05:00.000Z' });

const cases: { name: string; inputs: SyncInputs; status: string; reasons: string[] }[] = [
  { name: 'HEAD applied, clean, empty plan', inputs: { head: head(A), applied: applied(A), planChanges: 0, configPath: '/cfg' }, status: 'Synced', reasons: [] },
  { name: 'a newer commit', inputs: { head: head(B), applied: applied(A), planChanges: 0 }, status: 'OutOfSync', reasons: ['HEAD is bbbbbbb, last applied aaaaaaa'] },
  { name: 'never applied', inputs: { head: head(A), applied: undefined, planChanges: 0 }, status: 'OutOfSync', reasons: ['HEAD is aaaaaaa, no apply recorded'] },
  {
    name: 'applied from a dirty tree, tree dirty now, plan not empty',
    inputs: { head: head(A, true), applied: applied(A, true), planChanges: 1 },
    status: 'OutOfSync',
    reasons: ['last apply had uncommitted changes', 'the configuration has uncommitted changes', 'the plan has 1 action'],
  },
  {
    name: 'applied from another path',
    inputs: { head: head(A), applied: applied(A, false, '/other'), planChanges: 0, configPath: '/cfg' },
    status: 'OutOfSync',
    reasons: ['last apply was of another configuration (/other)'],
  },
  { name: 'applied outside git, now in git', inputs: { head: head(A), applied: applied(null), planChanges: 0 }, status: 'OutOfSync', reasons: ['HEAD is aaaaaaa, last apply was from outside git'] },
  { name: 'not in git, empty plan', inputs: { head: undefined, applied: undefined, planChanges: 0 }, status: 'Synced', reasons: [] },
  { name: 'not in git, 3 actions', inputs: { head: undefined, applied: undefined, planChanges: 3 }, status: 'OutOfSync', reasons: ['the plan has 3 actions'] },
  {
    name: 'no valid configuration',
    inputs: { head: head(A), applied: applied(B), planChanges: undefined, unknownReason: 'no valid configuration: x' },
    status: 'Unknown',
    reasons: ['no valid configuration: x'],
  },
];

describe('gitSync', () => {
  it.each(cases)('$name → $status', ({ inputs, status, reasons }) => {
    expect(gitSync(inputs)).toEqual({ status, reasons });
  });
});

describe('header lines', () => {
  it.each([
    [applied(A), 'Last applied: aaaaaaa at 2024-01-01T00:05:00Z'],
    [applied(A, true), 'Last applied: aaaaaaa (dirty) at 2024-01-01T00:05:00Z'],
    [applied(null), 'Last applied: outside git at 2024-01-01T00:05:00Z'],
    [undefined, 'Last applied: never (no apply recorded in this state)'],
  ])('%j → %s', (record, line) => {
    expect(lastAppliedLine(record)).toBe(line);
  });

  it.each([
    [{ status: 'Synced' as const, reasons: [] }, head(A), 'Synced: HEAD aaaaaaa is applied and the fleet matches it'],
    [{ status: 'Synced' as const, reasons: [] }, undefined, 'Synced: the fleet matches the configuration (not in a git work tree)'],
    [{ status: 'OutOfSync' as const, reasons: ['HEAD is bbbbbbb, last applied aaaaaaa', 'the plan has 2 actions'] }, head(B), 'OutOfSync: HEAD is bbbbbbb, last applied aaaaaaa; the plan has 2 actions'],
  ])('%j', (sync, rev, line) => {
    expect(syncLine(sync, rev)).toBe(line);
  });
});

import { describe, expect, it } from 'vitest';
import { formatSoakReport, soak, statusVerdicts } from '../../scripts/soak.js';

/**
 * The soak at CI length (~15 s of chaos against the built CLI's `watch --apply`); run it by hand
 * for longer with `npx tsx scripts/soak.ts --duration 10m`.
 */
describe('soak of watch --apply under chaos (short)', () => {
  it('converges, loses no key object, exits cleanly, and its memory levels off', { timeout: 90_000 }, async () => {
    const report = await soak({ durationMs: 15_000, convergeTimeoutMs: 40_000 });
    const summary = formatSoakReport(report);
    expect(report.converged, summary).toBe(true);
    expect(report.keys.created, summary).toBeGreaterThan(0);
    expect(report.keys.lost, summary).toEqual([]);
    expect(report.keys.unsynced, summary).toEqual([]);
    expect(report.exit, summary).toEqual({ code: 0, signal: null });
    expect(report.lockLeft, summary).toBe(false);
    expect(report.internalErrors, summary).toEqual([]);
    // Enough happened to mean something: out-of-band changes were seen and applied.
    expect(report.passes, summary).toBeGreaterThan(10);
    expect(report.statuses.applied ?? 0, summary).toBeGreaterThan(0);
    // No unbounded growth: the second half's peak stays near the first half's (warm-up included there).
    expect(report.rss.secondHalfMaxMiB, summary).toBeLessThan(report.rss.firstHalfMaxMiB * 1.5 + 16);
  });
});

describe('status verdicts', () => {
  it.each([
    { line: '✓ in sync', verdicts: ['in sync'] },
    { line: '✓ applied 3 actions in 0.4s; in sync · 1 HSM unreachable: hsm-b', verdicts: ['applied', 'with unreachable HSMs'] },
    { line: 'configuration invalid: 1 error (keeping the last good configuration) · ✓ in sync', verdicts: ['configuration invalid', 'in sync'] },
    { line: 'waiting: the state is locked by a@b (pid 1, operation "apply", since x); will retry when the lock is released', verdicts: ['lock held'] },
    { line: 'applied 6 actions in 0.1s; the changes it held back are next; looking again', verdicts: ['held back'] },
    { line: 'client.app-1: Creating... [client.create]', verdicts: [] },
    { line: '  # hsm.hsm-a will be updated in-place', verdicts: [] },
  ])('$line', ({ line, verdicts }) => {
    expect(statusVerdicts(line)).toEqual(verdicts);
  });
});

import type { ResultWord } from '../actions/types.js';
import type { ActionKind, ChangeType, Plan } from '../plan/types.js';
import type { ApplyErrorInfo } from './events.js';

/** What became of a run and of each of its actions. Plain data; the JSON result renders it. */

/** How a run ended. */
export type ApplyOutcome =
  /** Every action is done and a fresh plan is empty. */
  | 'complete'
  /** An action failed: what was done, what failed and what was not started are reported. */
  | 'failed'
  /**
   * The run was asked to stop (Ctrl-C) before it finished: the actions running then finished (or
   * stopped at their next device operation or wait: status `failed`, error code `STOPPED`), none
   * other started, and no action failed for any other reason.
   */
  | 'stopped'
  /** Every action is done, but a fresh plan still has changes (someone changed the world meanwhile). */
  | 'not-converged'
  /**
   * Every action is done, and the plan held changes back until these actions made them safe: a
   * fresh plan has them, and the next apply makes them (`Plan.heldBack`).
   */
  | 'held-back';

/**
 * The error code of an action whose device operation was not started because the run is stopping
 * (Ctrl-C during `apply` or `watch`): it did not fail, it was stopped, and the next apply does what it left.
 */
export const STOPPED = 'apply.stopped';

/** One action's fate. */
export interface ActionReport {
  id: string;
  kind: ActionKind;
  address: string;
  change: ChangeType;
  status: 'done' | 'failed' | 'not-started';
  /** Set when done. */
  result?: ResultWord;
  /** Set when failed. */
  error?: ApplyErrorInfo;
  /** ISO time it started; absent when not started. */
  startedAt?: string;
  /** Milliseconds from its start (its intent recorded in the journal) to its outcome; absent when not started. */
  durationMs?: number;
}

/** Actions that changed something, by what they changed, and those that found their effect there. */
export interface ApplyCounts {
  added: number;
  changed: number;
  destroyed: number;
  /** Re-initializations (zeroize and initialize again). */
  replaced: number;
  /** Manual recoveries of HA members. */
  recovered: number;
  /** Done actions whose effect was already in place. */
  unchanged: number;
}

/** The re-plan after a run whose actions all succeeded. */
export interface Verification {
  /** True when the fresh plan has no actions. */
  converged: boolean;
  /** The fresh plan (empty when converged); absent when the world could not be read. */
  remaining?: Plan;
  /** Why the world could not be read again, if it could not. */
  error?: ApplyErrorInfo;
}

export interface ApplyResult {
  run: string;
  outcome: ApplyOutcome;
  /** Every action of the plan, in plan order. */
  actions: ActionReport[];
  counts: ApplyCounts;
  /** Wall-clock duration of the run (ms), verification included. */
  durationMs: number;
  /** Absent when an action failed (nothing to confirm). */
  verification?: Verification;
}

/** Counts the done actions by the kind of change they made. */
export function countResults(reports: readonly ActionReport[]): ApplyCounts {
  const counts: ApplyCounts = { added: 0, changed: 0, destroyed: 0, replaced: 0, recovered: 0, unchanged: 0 };
  for (const r of reports) {
    if (r.status !== 'done') continue;
    if (r.result === 'unchanged (already there)') counts.unchanged += 1;
    else if (r.change === 'create') counts.added += 1;
    else if (r.change === 'update') counts.changed += 1;
    else if (r.change === 'delete') counts.destroyed += 1;
    else if (r.change === 'replace') counts.replaced += 1;
    else counts.recovered += 1;
  }
  return counts;
}

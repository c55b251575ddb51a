import type { ApplyOutcome } from '../reconcile/apply/result.js';

/**
 * What one watch pass came to, as plain data: the status line is rendered from it, tests and the
 * soak driver read it. A pass made against the last good configuration because the current one is
 * invalid says so in `invalidConfig`.
 */

/** The result of a pass. */
export type PassOutcome =
  /** The fleet matches the configuration. */
  | { kind: 'in-sync' }
  /** Nothing can be done now, but changes wait until unreachable HSMs answer (`Plan.deferred`). */
  | { kind: 'waiting'; changes: number }
  /** Changes exist and the pass only planned (watch without --apply). */
  | { kind: 'pending'; changes: number }
  /** The plan was refused as a whole (destructive without --allow-destroy, protect, empty configuration); the plan printed says why. */
  | { kind: 'refused'; refusals: number }
  /** The plan was applied; `outcome` is the executor's verdict. */
  | {
      kind: 'applied';
      outcome: ApplyOutcome;
      actions: number;
      failed: number;
      notStarted: number;
      durationMs: number;
      /** Changes the confirming plan still leaves waiting for unreachable HSMs (`Plan.deferred`), if any. */
      waiting?: number;
    }
  /** Another process holds the apply lock; the pass did nothing. */
  | { kind: 'locked'; message: string }
  /** No valid configuration has been seen yet: nothing was planned. */
  | { kind: 'no-config' }
  /** The pass could not finish (the world could not be read, a device refused during observe…). */
  | { kind: 'error'; message: string }
  /** watch is stopping and the pass was cut short between device operations. */
  | { kind: 'interrupted' };

/** One pass. */
export interface PassReport {
  /** 1 for the first pass. */
  pass: number;
  outcome: PassOutcome;
  /** Set when the configuration on disk is invalid: its error count (the pass used the last good one, if any). */
  invalidConfig?: { errors: number };
  /** Set when the configuration on disk is valid but declares nothing (the pass used the last good one, if any). */
  emptyConfig?: true;
  /** Names of the HSMs the pass could not reach (unreachable is not absent: nothing that needs them was planned). */
  unreachable: string[];
  /** Wall-clock duration of the pass (ms). */
  durationMs: number;
}

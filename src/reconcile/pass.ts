import type { DesiredFleet } from '../config/types.js';
import { InternalError } from '../errors.js';
import type { FleetDriver } from '../fleet/driver.js';
import type { SoGuard } from './actions/index.js';
import type { ApplyListener } from './apply/events.js';
import { applyPlan, DEFAULT_PARALLELISM, newRunId } from './apply/executor.js';
import { Journal, readLastRun } from './apply/journal.js';
import { acquireLock } from './apply/lock.js';
import type { ApplyResult } from './apply/result.js';
import { observe, type Observation } from './observe.js';
import { plan as makePlan } from './plan/index.js';
import type { Plan } from './plan/types.js';

/**
 * One reconcile pass (SPEC §4), level-triggered: read the world afresh, plan against the
 * configuration and, when asked to, carry the plan out. Nothing is trusted from whatever
 * triggered the pass. `hsmctl apply` runs one; `hsmctl watch` runs one per change. Never prints:
 * it reports through the callbacks and its result.
 *
 * Applying takes the state's lock first (so the plan is made from a world no other apply is
 * changing) and releases it when the pass ends, whatever happens. A held lock throws the lock's
 * `UserError` (`lock.held`).
 */

/** How to run a pass. */
export interface PassOptions {
  driver: FleetDriver;
  /** The state directory: where the lock and the journal live. */
  stateDir: string;
  /** The configuration to reconcile towards. */
  desired: DesiredFleet;
  /** Carry the plan out under the lock (true) or only plan (false: nothing is locked or written). */
  apply: boolean;
  /** Plan destructive actions as applyable. */
  allowDestroy: boolean;
  /** At most this many actions at a time (default 10). */
  parallelism?: number;
  /**
   * When applying: the lock's operation name (`apply`, `watch --apply`), how long to wait for it
   * (ms), and who is told, once, that the pass waits for another holder.
   */
  lock?: { operation: string; timeoutMs: number; onWait?: (holder: string) => void };
  /**
   * A plan made moments ago from a fresh observation of the world, used instead of observing and
   * planning again (watch makes it while a save settles). Only when not applying: a plan to carry
   * out is always made under the lock.
   */
  plan?: Plan;
  /** Replaces planning, e.g. with a saved plan checked against this observation; may throw. */
  planFor?: (observation: Observation) => { plan: Plan; allowDestroy: boolean };
  /** Told the plan once it is made, before anything is carried out. */
  onPlan?: (plan: Plan) => void;
  /** Asked before an applyable plan with changes is carried out; false cancels the pass. */
  approve?: (plan: Plan) => Promise<boolean>;
  /** Receives the executor's progress events. */
  emit?: ApplyListener;
  /** Runs under the lock when the fleet matches the configuration (nothing to do, or a complete apply). */
  onInSync?: () => Promise<void>;
  /** Receives warnings worth a person's attention (lock taken over, previous run interrupted). */
  warn?: (message: string) => void;
  /** Aborted to stop applying (Ctrl-C): no action starts after it (see `ApplyOptions.stopping`). */
  stopping?: AbortSignal;
  /** The SO-login guard to apply with (see `ApplyOptions.soGuard`). */
  soGuard?: SoGuard;
}

/** How a pass ended. */
export type PassResult =
  /** The fleet matches the configuration; nothing was done. */
  | { outcome: 'in-sync'; plan: Plan }
  /** There are changes and the pass only planned. */
  | { outcome: 'pending'; plan: Plan }
  /** The plan holds a refused action (destructive without allowDestroy, protect, empty configuration). */
  | { outcome: 'refused'; plan: Plan }
  /** `approve` said no: nothing was done. */
  | { outcome: 'cancelled'; plan: Plan }
  /** The plan was carried out; `result.outcome` says how that went. */
  | { outcome: 'applied'; plan: Plan; result: ApplyResult };

/** Runs one pass. */
export async function reconcileOnce(options: PassOptions): Promise<PassResult> {
  if (!options.apply) {
    if (options.plan === undefined) return decide(options, await planNow(options));
    options.onPlan?.(options.plan);
    return decide(options, { plan: options.plan });
  }
  if (options.plan !== undefined) throw new InternalError('a pass that applies makes its plan under the lock');
  const lock = await acquireLock(options.stateDir, options.lock?.operation ?? 'apply', options.lock?.timeoutMs ?? 0, options.lock?.onWait);
  try {
    if (lock.warning !== undefined) options.warn?.(lock.warning);
    const last = readLastRun(options.stateDir);
    if (last !== undefined && !last.finished) {
      const started = last.interrupted.length > 0 ? `; it had started ${last.interrupted.join(', ')}` : '';
      options.warn?.(
        `the previous apply (run ${last.run}) was interrupted${started}. Every action checks the fleet before acting, so this apply picks up where it stopped.`,
      );
    }
    const planned = await planNow(options);
    const early = await decide(options, planned);
    if (early.outcome !== 'pending') return early;
    if (options.approve !== undefined && !(await options.approve(planned.plan))) return { outcome: 'cancelled', plan: planned.plan };
    const run = newRunId();
    const result = await applyPlan(planned.plan, {
      driver: options.driver,
      desired: options.desired,
      parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
      run,
      journal: Journal.start(options.stateDir, run, planned.plan.actions.length),
      allowDestroy: planned.allowDestroy,
      ...(options.emit !== undefined ? { emit: options.emit } : {}),
      ...(options.stopping !== undefined ? { stopping: options.stopping } : {}),
      ...(options.soGuard !== undefined ? { soGuard: options.soGuard } : {}),
    });
    if (result.outcome === 'complete' && (result.verification?.remaining?.deferred.length ?? 0) === 0) await options.onInSync?.();
    return { outcome: 'applied', plan: planned.plan, result };
  } finally {
    lock.release();
  }
}

/** Observes the world and plans, telling no one: what `reconcileOnce` does first, for a caller to run ahead. */
export async function planAhead(options: Pick<PassOptions, 'driver' | 'desired' | 'allowDestroy'>): Promise<Plan> {
  const observation = await observe(options.driver, options.desired);
  return makePlan(options.desired, observation.observed, {
    allowDestroy: options.allowDestroy,
    cloningDomainMismatch: observation.cloningDomainMismatch,
  });
}

/** Observes and plans (or lets `planFor` decide the plan). */
async function planNow(options: PassOptions): Promise<{ plan: Plan; allowDestroy: boolean }> {
  if (options.planFor === undefined) {
    const plan = await planAhead(options);
    options.onPlan?.(plan);
    return { plan, allowDestroy: options.allowDestroy };
  }
  const observation = await observe(options.driver, options.desired);
  const planned = options.planFor(observation);
  options.onPlan?.(planned.plan);
  return planned;
}

/** The outcome of a plan before anything is carried out; `pending` when there is work to do. */
async function decide(options: PassOptions, planned: { plan: Plan }): Promise<PassResult> {
  const { plan } = planned;
  if (!plan.hasChanges) {
    // Nothing to do now; the fleet matches only when nothing waits for an unreachable HSM either.
    if (options.apply && plan.deferred.length === 0) await options.onInSync?.();
    return { outcome: 'in-sync', plan };
  }
  if (!plan.applyable) return { outcome: 'refused', plan };
  return { outcome: 'pending', plan };
}

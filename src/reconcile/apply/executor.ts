import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DesiredFleet } from '../../config/types.js';
import { DeviceError, InternalError, UserError } from '../../errors.js';
import type { FleetDriver } from '../../fleet/driver.js';
import { DEFAULT_WAIT, runAction, SoGuard, waitUntilProvisioned, wordsOf, type ActionContext, type WaitOptions } from '../actions/index.js';
import { observe } from '../observe.js';
import { plan as makePlan } from '../plan/index.js';
import type { Action, Plan } from '../plan/types.js';
import type { ActionRef, ApplyErrorInfo, ApplyListener } from './events.js';
import type { Journal } from './journal.js';
import { countResults, STOPPED, type ActionReport, type ApplyOutcome, type ApplyResult, type Verification } from './result.js';
import { runDag, type DagOutcome } from './scheduler.js';

/**
 * The executor (SPEC §4 apply): runs a plan's actions in dependency order, at most `parallelism`
 * at a time, each as soon as what it depends on is done. Every action reads the world afresh and
 * acts only if its effect is not there yet; names become ARNs at that moment (from hsmctl's tags),
 * so a run after a crash picks up where the world is. On the first failure nothing new starts;
 * running actions finish. Intent and outcome of each action go to the journal. Afterwards the
 * world is observed and planned again to confirm there is nothing left to do. Stopped (Ctrl-C),
 * it starts nothing new either, and reports the run as stopped, not failed. Never prints: it
 * emits events.
 */

/** How to run a plan. */
export interface ApplyOptions {
  driver: FleetDriver;
  /** The configuration the plan was made from (secrets are read from it at each device call). */
  desired: DesiredFleet;
  /** At most this many actions at a time (default 10). */
  parallelism?: number;
  /** Receives progress events. */
  emit?: ApplyListener;
  /** Records intent and outcome of each action (`Journal.start` of this run); ended by the executor. */
  journal?: Pick<Journal, 'intent' | 'done' | 'failed' | 'end'>;
  /** Run id (as in the journal); generated when absent. */
  run?: string;
  /** Planning option of the confirming re-plan (so it reads like the plan that was applied). */
  allowDestroy?: boolean;
  /** Pacing and bound of waiting for provisioning. */
  wait?: Partial<WaitOptions>;
  /** The SO-login guard; a new one per run unless given (watch keeps one across passes). */
  soGuard?: SoGuard;
  /**
   * Aborted when the run is to stop (Ctrl-C): no action starts after it, and the run ends as
   * `stopped` once those running finish. (The driver is expected to refuse further device
   * operations as well, see `interruptible`, so a running action stops at its next one.)
   */
  stopping?: AbortSignal;
}

/** Default `--parallelism`. */
export const DEFAULT_PARALLELISM = 10;

/** A fresh run id: sortable time, then a random suffix. */
export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** A failure as reported: the error's code and message, never a stack. */
export function errorInfo(err: unknown): ApplyErrorInfo {
  if (err instanceof DeviceError || err instanceof UserError) return { code: err.code, message: err.message };
  if (err instanceof InternalError) return { code: 'internal', message: `${err.message} (this is a bug in hsmctl)` };
  return { code: 'internal', message: `${err instanceof Error ? err.message : String(err)} (this is a bug in hsmctl)` };
}

function refOf(action: Action): ActionRef {
  const words = wordsOf(action);
  return { id: action.id, kind: action.kind, address: action.address, change: action.change, doing: words.doing, done: words.done };
}

export async function applyPlan(toApply: Plan, options: ApplyOptions): Promise<ApplyResult> {
  if (!toApply.applyable) throw new UserError('plan.refused', `this plan cannot be applied: ${toApply.refusals.join('; ')}`);
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  if (!Number.isInteger(parallelism) || parallelism < 1) throw new UserError('usage', `parallelism must be a whole number of at least 1, not ${parallelism}`);
  const { driver, desired, journal } = options;
  const emit: ApplyListener = options.emit ?? (() => undefined);
  const run = options.run ?? newRunId();
  const wait: WaitOptions = { ...DEFAULT_WAIT, ...options.wait };
  const started = performance.now();
  const soGuard = options.soGuard ?? new SoGuard();
  const refs = new Map(toApply.actions.map((a) => [a.id, refOf(a)]));
  const reports = new Map<string, ActionReport>(
    toApply.actions.map((a) => [a.id, { id: a.id, kind: a.kind, address: a.address, change: a.change, status: 'not-started' }]),
  );

  emit({ type: 'run.started', run, actions: toApply.actions.length, parallelism });
  const outcome = await runDag(toApply.actions, parallelism, async (action) => {
    const ref = refs.get(action.id)!;
    const report = reports.get(action.id)!;
    const progress = (message: string): void => emit({ type: 'action.progress', action: ref, message });
    const observeNow = () => driver.describe();
    const ctx: ActionContext = {
      driver,
      desired,
      observe: observeNow,
      soGuard,
      progress,
      waitUntilProvisioned: (hsmArn, name) => waitUntilProvisioned(observeNow, hsmArn, name, wait, progress, options.stopping),
    };
    report.startedAt = new Date().toISOString();
    const t0 = performance.now(); // recording the intent is part of the action's time
    journal?.intent(action.id);
    emit({ type: 'action.started', action: ref });
    try {
      const result = await runAction(action, ctx);
      Object.assign(report, { status: 'done', result, durationMs: performance.now() - t0 });
      journal?.done(action.id, result);
      emit({ type: 'action.done', action: ref, result, durationMs: report.durationMs! });
      return result;
    } catch (err) {
      const error = errorInfo(err);
      Object.assign(report, { status: 'failed', error, durationMs: performance.now() - t0 });
      await journal?.failed(action.id, error.message);
      emit({ type: 'action.failed', action: ref, error, durationMs: report.durationMs! });
      throw err;
    }
  }, options.stopping);
  for (const id of outcome.notStarted) emit({ type: 'action.notStarted', action: refs.get(id)! });

  let verification: Verification | undefined;
  let word: ApplyOutcome = stoppedShort(outcome, options.stopping) ? 'stopped' : 'failed';
  if (word !== 'stopped' && outcome.failed.size === 0) {
    emit({ type: 'verify.started' });
    verification = await verify(options);
    if (verification.converged) word = 'complete';
    else word = verification.remaining !== undefined && toApply.heldBack.length > 0 ? 'held-back' : 'not-converged';
  }
  await journal?.end(word === 'failed' || word === 'stopped' ? word : 'complete');
  const actions = toApply.actions.map((a) => reports.get(a.id)!);
  const result: ApplyResult = {
    run,
    outcome: word,
    actions,
    counts: countResults(actions),
    durationMs: performance.now() - started,
    ...(verification !== undefined ? { verification } : {}),
  };
  emit({ type: 'run.finished', result });
  return result;
}

/**
 * Whether the run was stopped before it finished: asked to stop, with actions left (not started,
 * or refused their next device operation), and no action failed for another reason.
 */
function stoppedShort(outcome: DagOutcome<unknown>, stopping: AbortSignal | undefined): boolean {
  if (stopping?.aborted !== true) return false;
  const failures = [...outcome.failed.values()];
  if (!failures.every((err) => err instanceof UserError && err.code === STOPPED)) return false;
  return failures.length > 0 || outcome.notStarted.length > 0;
}

/** Observes and plans again: after a successful run the plan must be empty. */
async function verify(options: ApplyOptions): Promise<Verification> {
  try {
    const { observed, cloningDomainMismatch } = await observe(options.driver, options.desired);
    const remaining = makePlan(options.desired, observed, { allowDestroy: options.allowDestroy === true, cloningDomainMismatch });
    return { converged: !remaining.hasChanges, remaining };
  } catch (err) {
    return { converged: false, error: errorInfo(err) };
  }
}

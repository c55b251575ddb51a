import type { ApplyResult } from '../reconcile/apply/result.js';
import type { Plan } from '../reconcile/plan/types.js';

/**
 * `hsmctl apply --json`: one document on stdout. `outcome` is `complete`, `failed`, `stopped`
 * (Ctrl-C: the running actions finished or stopped, no other started), `not-converged`,
 * `held-back` (done; the plan held changes back for the next apply, which
 * `verification.remaining` lists), `no-changes` (nothing to do now; `deferred` lists what waits
 * for unreachable HSMs) or `refused` (the plan may not be applied; `refusals` says why). Each
 * action carries its status (`done`, `failed`, `not-started`; an action stopped by Ctrl-C is
 * `failed` with the error code `apply.stopped`), result word, start time and duration; `errors`
 * lists the failures; `verification.deferred` what still waits after a run. Never holds a secret.
 */

/** Layout version of the apply result document. */
export const APPLY_FORMAT_VERSION = 1;

/** The document of a run that executed. */
export function renderApplyJson(result: ApplyResult, plan: Plan): string {
  const v = result.verification;
  const document = {
    formatVersion: APPLY_FORMAT_VERSION,
    run: result.run,
    outcome: result.outcome,
    durationMs: Math.round(result.durationMs),
    summary: result.counts,
    planned: plan.summary,
    actions: result.actions.map((a) => ({
      id: a.id,
      kind: a.kind,
      address: a.address,
      change: a.change,
      status: a.status,
      result: a.result ?? null,
      startedAt: a.startedAt ?? null,
      durationMs: a.durationMs === undefined ? null : Math.round(a.durationMs * 10) / 10,
      error: a.error ?? null,
    })),
    errors: result.actions.flatMap((a) => (a.error === undefined ? [] : [{ action: a.id, address: a.address, ...a.error }])),
    verification:
      v === undefined
        ? null
        : {
            converged: v.converged,
            remaining: v.remaining?.actions.map((a) => ({ id: a.id, kind: a.kind, address: a.address, reason: a.reason })) ?? null,
            deferred: v.remaining?.deferred ?? null,
            error: v.error ?? null,
          },
    warnings: plan.warnings,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The document when nothing ran: no changes, or a plan that may not be applied. */
export function renderApplyJsonWithoutRun(outcome: 'no-changes' | 'refused', plan: Plan): string {
  const document = {
    formatVersion: APPLY_FORMAT_VERSION,
    run: null,
    outcome,
    durationMs: 0,
    summary: { added: 0, changed: 0, destroyed: 0, replaced: 0, recovered: 0, unchanged: 0 },
    planned: plan.summary,
    refusals: plan.refusals,
    actions: [],
    errors: [],
    verification: null,
    deferred: plan.deferred,
    warnings: plan.warnings,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

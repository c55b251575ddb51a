import type { Plan } from '../reconcile/plan/types.js';

/**
 * The machine-readable plan (SPEC §5): one JSON document with `formatVersion`, `hasChanges`,
 * `applyable`, `refusals`, `summary`, `actions`, `drift`, `warnings`, `heldBack`, `unreachable`,
 * `deferred` (what waits until an unreachable HSM answers) and `unmanaged`. A plan never holds a secret, so nothing is filtered: secrets already read
 * `"(sensitive)"` and values known only after apply `{ "unknown": true }`.
 */
export function renderPlanJson(plan: Plan): string {
  const document = {
    formatVersion: plan.formatVersion,
    hasChanges: plan.hasChanges,
    applyable: plan.applyable,
    refusals: plan.refusals,
    summary: plan.summary,
    actions: plan.actions.map((a) => ({
      id: a.id,
      kind: a.kind,
      address: a.address,
      resource: a.resource,
      change: a.change,
      dependsOn: a.dependsOn,
      destructive: a.destructive,
      reason: a.reason,
      before: a.before,
      after: a.after,
      params: a.params,
    })),
    drift: plan.drift,
    warnings: plan.warnings,
    heldBack: plan.heldBack,
    unreachable: plan.unreachable,
    deferred: plan.deferred,
    unmanaged: plan.unmanaged,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

import { isUnknown, SENSITIVE } from '../reconcile/plan/index.js';
import type { FieldValue, Plan } from '../reconcile/plan/types.js';

/** Shared wording of the plan renderers. */

/** A field value as the text plan shows it: strings quoted, secrets and unknowns as words. */
export function formatValue(value: FieldValue | undefined): string {
  if (value === undefined) return 'null';
  if (isUnknown(value)) return '(known after apply)';
  if (value === SENSITIVE) return SENSITIVE;
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return JSON.stringify(value);
}

/** Whether two field values are the same (as JSON; equal primitives without encoding them). */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** `Plan: N to add, N to change, N to destroy.` (replacements and recoveries added when present). */
export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const extra = [...(s.replace > 0 ? [`${s.replace} to replace`] : []), ...(s.recover > 0 ? [`${s.recover} to recover`] : [])];
  return `Plan: ${s.create} to add, ${s.update} to change, ${s.delete} to destroy${extra.map((e) => `, ${e}`).join('')}.`;
}

/** What the text plan says when there is nothing to do. */
export const NO_CHANGES = 'No changes. The fleet matches the configuration.';

/** `1 change waits until unreachable HSMs answer` / `2 changes wait …` (`Plan.deferred`). */
export function changesWait(n: number): string {
  return `${n === 1 ? '1 change waits' : `${n} changes wait`} until unreachable HSMs answer`;
}

/**
 * What a plan without actions says: that the fleet matches, or, while changes wait for an
 * unreachable HSM, that it does not yet.
 */
export function noChangesLine(plan: Plan): string {
  const n = plan.deferred.length;
  if (n === 0) return NO_CHANGES;
  return `No changes can be made now, but the fleet does not match the configuration yet: ${changesWait(n)}.`;
}

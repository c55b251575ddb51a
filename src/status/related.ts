import type { Action, Plan } from '../reconcile/plan/types.js';

/**
 * Which of a plan's actions concern one HAPG, for its sync column: a HAPG is in sync when the
 * plan holds none. An action concerns the group when it names the group, one of its member HSMs
 * (declared or present), or one of its clients (declared or registered) — everything that must
 * happen before the group serves its clients as configured. (An HSM's protection tag changes
 * nothing the group serves: `hsm.setProtection` concerns no group.) A change waiting for an
 * unreachable HSM (`Plan.deferred`) concerns the group its address is under.
 */

/** The names an action's parameters carry (every kind has some of these). */
interface Named {
  hapgLabel?: string;
  hapgLabels?: string[];
  hsmName?: string;
  clientName?: string;
}

/** What belongs to a group: its label, its members' names and its clients' names. */
export interface GroupScope {
  label: string;
  members: ReadonlySet<string>;
  clients: ReadonlySet<string>;
}

/** Whether the action is one the group waits for. */
export function concerns(action: Action, scope: GroupScope): boolean {
  if (action.kind === 'hsm.setProtection') return false;
  if (action.resource.type === 'hapg' && action.resource.name === scope.label) return true;
  const p = action.params as Named;
  if (p.hapgLabel !== undefined) return p.hapgLabel === scope.label;
  if (p.hapgLabels?.includes(scope.label) === true) return true;
  if (p.hsmName !== undefined && scope.members.has(p.hsmName)) return true;
  return p.clientName !== undefined && scope.clients.has(p.clientName);
}

/** Ids of the plan's actions that concern the group, in plan order. */
export function pendingFor(plan: Plan, scope: GroupScope): string[] {
  const waiting = plan.deferred.filter((address) => address.startsWith(`hapg.${scope.label}.`));
  return [...plan.actions.filter((a) => concerns(a, scope)).map((a) => a.id), ...waiting];
}

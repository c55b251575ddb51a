import { expect } from 'vitest';
import type { Action, Plan } from '../../../src/reconcile/plan/types.js';
import { SECRET_VALUES } from '../../fixtures/worlds/desired.js';

/**
 * Invariants every plan must hold, whatever the inputs: unique ids, dependencies only on actions
 * of the plan and listed before them (so the graph is acyclic), counts that add up, plain data
 * that JSON round-trips, and no secret value anywhere.
 */
export function expectWellFormed(plan: Plan): void {
  const ids = plan.actions.map((a) => a.id);
  expect(new Set(ids).size, 'action ids are unique').toBe(ids.length);
  const position = new Map(ids.map((id, i) => [id, i]));
  for (const [i, a] of plan.actions.entries()) {
    for (const d of a.dependsOn) {
      expect(position.has(d), `${a.id} depends on ${d}, which is not in the plan`).toBe(true);
      expect(position.get(d)!, `${a.id} is listed after its dependency ${d}`).toBeLessThan(i);
    }
  }
  const counted = { create: 0, update: 0, delete: 0, replace: 0, recover: 0 };
  for (const a of plan.actions) counted[a.change] += 1;
  expect(plan.summary).toEqual(counted);
  expect(plan.hasChanges).toBe(plan.actions.length > 0);
  expect(plan.applyable).toBe(plan.refusals.length === 0);
  for (const d of plan.drift) for (const id of d.actionIds) expect(position.has(id), `drift refers to ${id}`).toBe(true);
  const json = JSON.stringify(plan);
  expect(JSON.parse(json)).toEqual(plan);
  for (const secret of SECRET_VALUES) expect(json.includes(secret), 'a secret value is in the plan').toBe(false);
}

/** The action with this id (fails the test when absent). */
export function actionById(plan: Plan, id: string): Action {
  const a = plan.actions.find((x) => x.id === id);
  expect(a, `action ${id} in the plan`).toBeDefined();
  return a!;
}

/** The ids of the plan's actions, in order. */
export function idsOf(plan: Plan): string[] {
  return plan.actions.map((a) => a.id);
}

/** Whether `later` depends on `earlier`, directly or through other actions. */
export function dependsTransitively(plan: Plan, later: string, earlier: string): boolean {
  const byId = new Map(plan.actions.map((a) => [a.id, a]));
  const seen = new Set<string>();
  const stack = [later];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const d of byId.get(id)?.dependsOn ?? []) {
      if (d === earlier) return true;
      if (!seen.has(d)) {
        seen.add(d);
        stack.push(d);
      }
    }
  }
  return false;
}

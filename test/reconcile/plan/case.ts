import { expect } from 'vitest';
import type { DesiredFleet } from '../../../src/config/types.js';
import type { ObservedFleet } from '../../../src/fleet/types.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import type { Plan, PlanOptions } from '../../../src/reconcile/plan/types.js';
import { expectWellFormed, idsOf } from './assert.js';

/** One row of a planner table: inputs, and what the plan must be. */
export interface Case {
  name: string;
  desired: DesiredFleet;
  observed: ObservedFleet;
  options?: PlanOptions;
  /** Exactly these action ids, in this order. */
  ids?: string[];
  check?: (p: Plan) => void;
}

/** Plans a case and checks it: always well-formed, then its ids and its own checks. */
export function runCase({ desired, observed, options, ids, check }: Case): void {
  const p = plan(desired, observed, options ?? {});
  expectWellFormed(p);
  if (ids !== undefined) expect(idsOf(p)).toEqual(ids);
  check?.(p);
}

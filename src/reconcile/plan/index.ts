import type { DesiredFleet } from '../../config/types.js';
import type { ObservedFleet } from '../../fleet/types.js';
import { ActionList } from './action-list.js';
import { planClientConfig } from './client-config.js';
import { planClients } from './clients.js';
import { linkDependencies } from './deps.js';
import type { Draft } from './draft.js';
import { gatherFacts, type Facts } from './facts.js';
import { planAutoRecovery, planRecovery } from './ha.js';
import { planHapgs } from './hapgs.js';
import { removalsToHoldBack, waitingOf, withHeldMembers, type Waiting } from './hold-back.js';
import { lastLiveMembers, type LastLive } from './last-live.js';
import { leftoverWarnings } from './leftovers.js';
import { planHsms } from './hsms.js';
import { compareText } from './kinds.js';
import { procedureOrder } from './order.js';
import { refusalsOf } from './safety.js';
import type { HeldBack, Plan, PlanOptions, PlanSummary } from './types.js';

export type * from './types.js';
export { HA_POLICY_TAG, haPolicyTagValue } from './ha.js';
export { PROCEDURE_ORDER, SENSITIVE, UNKNOWN, isUnknown } from './kinds.js';
export { procedureOrder } from './order.js';

/**
 * The planner: what to do so that the observed fleet matches the desired one. Pure, synchronous
 * and deterministic: no I/O, no clock, no randomness; the same inputs give the same plan, with
 * actions in a stable order. Never reveals a secret (it only knows that one is configured).
 */
export function plan(declared: DesiredFleet, observed: ObservedFleet, options: PlanOptions = {}): Plan {
  let facts = gatherFacts(declared, observed, options);
  // The last members that answer stay in their groups until another member does (last-live.ts).
  const stays = lastLiveMembers(facts);
  const desired = stays.length === 0 ? declared : withHeldMembers(declared, stays);
  if (stays.length > 0) facts = gatherFacts(desired, observed, options);
  const { holds, waiting } = removalsToHoldBack(facts);
  if (holds.length > 0) {
    const held = planWith(gatherFacts(withHeldMembers(desired, holds), observed, options), waiting, holds.map((x) => x.item), stays);
    // Holding a removal back is worth it only while this plan does work toward its safety.
    if (held.hasChanges) return held;
  }
  return planWith(facts, [...waiting, ...waitingOf(holds)], [], stays);
}

function planWith(facts: Facts, waiting: readonly Waiting[], heldBack: HeldBack[], stays: readonly LastLive[]): Plan {
  const warnings = [...facts.warnings, ...waiting.map((w) => w.warning), ...stays.map((s) => s.warning), ...leftoverWarnings(facts)];
  const draft: Draft = { facts, actions: new ActionList(), drift: [], warnings, memberships: new Map(), extraDeps: new Map(), touched: { clients: new Set(), groups: new Set() }, resources: { hsm: new Map(), hapg: new Map(), client: new Map() }, onlyCopies: new Map(), deferred: new Set(stays.map((s) => s.address)) };

  planHsms(draft);
  planHapgs(draft);
  planClients(draft);
  for (const c of facts.clients.values()) {
    if (c.verdict === 'leave') continue;
    planClientConfig(draft, c);
    planAutoRecovery(draft, c);
    planRecovery(draft, c);
  }
  const linked = linkDependencies(draft);
  const actions = procedureOrder(linked.actions, linked.graph, linked.ranking);
  const refusals = refusalsOf(actions, facts, new Set(waiting.map((w) => w.address)), draft.onlyCopies);
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, replace: 0, recover: 0 };
  for (let i = 0; i < actions.length; i++) summary[actions[i]!.change] += 1;

  return {
    formatVersion: 1,
    hasChanges: actions.length > 0,
    applyable: refusals.length === 0,
    refusals,
    summary,
    actions,
    drift: [...draft.drift].sort((a, b) => compareText(a.address, b.address) || compareText(a.description, b.description)),
    warnings: draft.warnings,
    heldBack,
    unreachable: [...facts.unreachable].sort((a, b) => compareText(a.name, b.name)),
    deferred: [...draft.deferred].sort(compareText),
    unmanaged: [...facts.unmanaged].sort((a, b) => compareText(a.type, b.type) || compareText(a.id, b.id)),
  };
}

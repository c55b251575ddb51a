import type { DesiredFleet, DesiredHapg } from '../config/types.js';
import type { Hapg, ObservedFleet } from '../fleet/types.js';
import { isManaged } from '../fleet/tags.js';
import type { Plan } from '../reconcile/plan/types.js';
import { countMembers, membersOf } from './members.js';
import { byText, type Pairing } from './names.js';
import { pendingFor } from './related.js';
import type { HapgStatus, HapgSync, Health, MemberCounts } from './types.js';

/**
 * One row per HAPG: every declared group (paired with the group that stands for it) and every
 * other group on the control plane, with member counts, health and sync.
 */

function healthOf(hapg: Hapg | undefined, counts: MemberCounts, size: number): Health {
  if (hapg === undefined) return 'Missing';
  return size > 0 && counts.alive === size && hapg.state !== 'DEGRADED' ? 'Healthy' : 'Degraded';
}

function row(
  observed: ObservedFleet,
  desired: DesiredFleet | undefined,
  plan: Plan | undefined,
  pairing: Pairing,
  label: string,
  hapg: Hapg | undefined,
  declared: DesiredHapg | undefined,
): HapgStatus {
  const members = membersOf(observed, pairing, hapg, declared);
  const counts = countMembers(members);
  const clients = new Set([
    ...(desired?.clients ?? []).filter((c) => c.hapgs.includes(label)).map((c) => c.name),
    ...observed.clients.filter((c) => hapg !== undefined && c.hapgArns.includes(hapg.arn)).map((c) => c.name),
  ]);
  const pendingActions = plan === undefined ? null : pendingFor(plan, { label, members: new Set(members.map((m) => m.hsm)), clients });
  let sync: HapgSync;
  if (pendingActions === null) sync = 'Unknown';
  else if (declared === undefined && hapg !== undefined && !isManaged(hapg.tags)) sync = 'Unmanaged';
  else sync = pendingActions.length === 0 ? 'Synced' : 'OutOfSync';
  return {
    label,
    arn: hapg?.arn ?? null,
    serial: hapg?.serial ?? null,
    state: hapg?.state ?? null,
    health: healthOf(hapg, counts, members.length),
    sync,
    members,
    counts,
    pendingActions,
  };
}

/** Every HAPG row, sorted by label. */
export function hapgRows(observed: ObservedFleet, desired: DesiredFleet | undefined, plan: Plan | undefined, pairing: Pairing): HapgStatus[] {
  const rows: HapgStatus[] = [];
  for (const d of desired?.hapgs ?? []) rows.push(row(observed, desired, plan, pairing, d.label, pairing.hapgOf.get(d.label), d));
  const paired = new Set([...pairing.hapgOf.values()].map((g) => g.arn));
  for (const g of observed.hapgs) {
    if (!paired.has(g.arn)) rows.push(row(observed, desired, plan, pairing, pairing.hapgNameByArn.get(g.arn)!, g, undefined));
  }
  return rows.sort((a, b) => byText(a.label, b.label) || byText(a.arn ?? '', b.arn ?? ''));
}

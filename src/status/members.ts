import type { DesiredHapg } from '../config/types.js';
import type { Hapg, MemberHaState, ObservedFleet } from '../fleet/types.js';
import type { Pairing } from './names.js';
import type { ClientView, MemberCounts, MemberState, MemberStatus } from './types.js';

/**
 * A HAPG's members as the fleet sees them: each client's HA view of each member (`vtl haAdmin
 * show`), folded into one state per member — the worst any client reports, because one client
 * that lost a member is one application running without redundancy.
 */

const SEVERITY: Record<MemberHaState, number> = { alive: 0, recovering: 1, down: 2, 'needs-manual-recovery': 3 };

function worst(views: readonly ClientView[]): MemberHaState {
  return views.reduce<MemberHaState>((acc, v) => (SEVERITY[v.state] > SEVERITY[acc] ? v.state : acc), 'alive');
}

/** Each client's view of the member with `serial` in the group labelled `label` on the devices. */
function viewsOf(observed: ObservedFleet, label: string, serial: string): ClientView[] {
  const views: ClientView[] = [];
  for (const c of observed.clients) {
    for (const group of c.haStatus) {
      if (group.hapgLabel !== label) continue;
      for (const m of group.members) {
        if (m.hsmSerial === serial) views.push({ client: c.name, state: m.state, attempts: m.attempts });
      }
    }
  }
  return views.sort((a, b) => (a.client < b.client ? -1 : a.client > b.client ? 1 : 0));
}

/** Members of an observed group (control-plane order), then declared members it lacks. */
export function membersOf(observed: ObservedFleet, pairing: Pairing, hapg: Hapg | undefined, desired: DesiredHapg | undefined): MemberStatus[] {
  const members: MemberStatus[] = [];
  for (const m of hapg?.members ?? []) {
    const views = viewsOf(observed, hapg!.label, m.hsmSerial);
    const hsm = observed.hsms.find((h) => h.arn === m.hsmArn);
    // No client uses the group: the device itself says whether the member partition is there.
    const serving =
      hsm !== undefined && hsm.reachability === 'reachable' && hsm.status === 'RUNNING' && hsm.partitions.some((p) => p.name === m.partitionName);
    const state: MemberState = views.length > 0 ? worst(views) : serving ? 'alive' : 'down';
    members.push({ hsm: pairing.hsmNameByArn.get(m.hsmArn) ?? m.hsmSerial, serial: m.hsmSerial, state, clients: views });
  }
  for (const name of desired?.members ?? []) {
    if (members.some((m) => m.hsm === name)) continue;
    members.push({ hsm: name, serial: null, state: 'missing', clients: [] });
  }
  return members;
}

/** How many members are in each state. */
export function countMembers(members: readonly MemberStatus[]): MemberCounts {
  const counts: MemberCounts = { alive: 0, down: 0, recovering: 0, needsManualRecovery: 0, missing: 0 };
  for (const m of members) {
    if (m.state === 'needs-manual-recovery') counts.needsManualRecovery += 1;
    else counts[m.state] += 1;
  }
  return counts;
}

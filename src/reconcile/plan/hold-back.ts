import type { DesiredFleet } from '../../config/types.js';
import type { MemberHaStatus } from '../../fleet/types.js';
import { idOf } from './draft.js';
import { deviceUsable, rebuilt, type Facts, type HapgFacts, type HsmFacts } from './facts.js';
import { needsHand } from './ha.js';
import type { HeldBack } from './types.js';

/**
 * Removals held back for one plan. A member that leaves its group while it holds key objects no
 * staying member holds would take the last copy with it (destructive, so the whole plan is
 * refused). The staying members lack them when they were out of a client's rotation while the
 * objects were written. If this plan recovers members by hand on a client so that afterwards the
 * leaving member and a staying one are both in rotation there, each recovery resynchronises the
 * group and copies the objects over. Removing the member in the same plan cannot wait for that:
 * its client-side teardown (trusted server, registration, the `Chrystoki.conf` that no longer
 * lists it) comes before the recovery, which runs against the written configuration. So the member
 * stays for this plan (recovered too, if it is out of rotation), and the next plan finds its
 * objects held elsewhere and removes it without loss.
 */

interface Hold {
  hapg: string;
  hsm: string;
  item: HeldBack;
}

/**
 * The removals to hold back, from the facts of the configuration as declared; and a warning for
 * each removal that would take the last copy of objects while members are out of rotation and no
 * recovery of this plan copies them (a recovery, automatic or by hand, would: it avoids the loss).
 */
export function removalsToHoldBack(facts: Facts): { holds: Hold[]; warnings: string[] } {
  const holds: Hold[] = [];
  const warnings: string[] = [];
  for (const g of facts.hapgs.values()) {
    if (g.desired === undefined || g.observed === undefined) continue;
    const declared = g.desired.members;
    // A member this plan adds clones the group's objects before any member leaves (hapgs.ts).
    if (declared.some((name) => joins(facts, g, name))) continue;
    for (const m of g.observed.members) {
      const h = facts.hsmByArn.get(m.hsmArn);
      if (h === undefined || declared.includes(h.name) || !deviceUsable(h) || rebuilt(h)) continue;
      const mine = handles(h, m.partitionName);
      if (mine === undefined || mine.length === 0) continue;
      const staying = g.observed.members.filter((x) => x !== m && stays(facts, g, x.hsmArn));
      const elsewhere = new Set(staying.flatMap((x) => handles(facts.hsmByArn.get(x.hsmArn), x.partitionName) ?? []));
      const lacking = mine.filter((handle) => !elsewhere.has(handle)).length;
      if (lacking === 0) continue;
      // An HSM that leaves the configuration altogether cannot stay (its secrets are gone with it).
      const recoveries = h.desired === undefined ? [] : recoveriesThatResync(facts, g, h, new Set(staying.map((x) => x.hsmSerial)));
      if (recoveries.length === 0) {
        const away = outOfRotation(facts, g, [m.hsmSerial, ...staying.map((x) => x.hsmSerial)]);
        if (away.length > 0) {
          const objects = `${lacking} key object${lacking === 1 ? '' : 's'}`;
          warnings.push(
            `hsm ${h.name} alone holds ${objects} of hapg ${g.label}, and ${away.join(', ')} ${away.length === 1 ? 'is' : 'are'} out of rotation: ` +
              `a recovery (automatic or by hand) copies ${lacking === 1 ? 'it' : 'them'} to the staying members once hsm ${h.name} and one of them are in rotation together. ` +
              `Until then removing hsm ${h.name} is destructive: let them recover first rather than use --allow-destroy`,
          );
        }
        continue;
      }
      holds.push({
        hapg: g.label,
        hsm: h.name,
        item: {
          address: `hapg.${g.label}.member.${h.name}`,
          reason:
            `hsm ${h.name} stays in hapg ${g.label} for now: it holds ${lacking} key object${lacking === 1 ? '' : 's'} no staying member holds. ` +
            `This plan recovers members that are out of rotation, which copies the objects to them; the next plan removes hsm ${h.name} without loss`,
          waitsFor: recoveries,
        },
      });
    }
  }
  return { holds, warnings };
}

/** The configuration with each held-back member still listed in its group. */
export function withHeldMembers(desired: DesiredFleet, holds: readonly Hold[]): DesiredFleet {
  const hapgs = desired.hapgs.map((g) => {
    const kept = holds.filter((x) => x.hapg === g.label).map((x) => x.hsm);
    return kept.length === 0 ? g : { ...g, members: [...g.members, ...kept] };
  });
  return { ...desired, hapgs };
}

function handles(h: HsmFacts | undefined, partitionName: string): number[] | undefined {
  return h?.observed?.partitions.find((p) => p.name === partitionName)?.objectHandles;
}

/** Whether this plan adds the HSM to the group, or adds it again (as `planMember` does). */
function joins(facts: Facts, g: HapgFacts, name: string): boolean {
  const h = facts.hsms.get(name);
  if (h === undefined || !deviceUsable(h) || h.verdict === 'replace') return false;
  const m = h.observed === undefined ? undefined : g.observed!.members.find((x) => x.hsmArn === h.observed!.arn);
  return m === undefined || rebuilt(h) || !h.observed!.partitions.some((p) => p.name === m.partitionName);
}

/** Whether the member on this HSM stays in the group under the configuration as declared. */
function stays(facts: Facts, g: HapgFacts, arn: string): boolean {
  const h = facts.hsmByArn.get(arn);
  return h === undefined || !deviceUsable(h) || (g.desired!.members.includes(h.name) && !rebuilt(h));
}

/**
 * Ids of the recoveries by hand this plan makes on clients where, afterwards, the leaving member
 * and a staying one are both in rotation: each recovery resynchronises the members in rotation,
 * so the staying one then holds every object the leaving one holds.
 */
function recoveriesThatResync(facts: Facts, g: HapgFacts, leaving: HsmFacts, staying: Set<string>): string[] {
  const ids: string[] = [];
  for (const c of facts.clients.values()) {
    if (c.desired === undefined || !c.desired.hapgs.includes(g.label)) continue;
    const status = c.observed?.haStatus.find((s) => s.hapgLabel === g.label);
    if (status === undefined) continue;
    const recovered: string[] = [];
    let leavingLive = false;
    let stayingLive = false;
    for (const s of status.members) {
      const h = facts.hsmByArn.get(g.observed!.members.find((m) => m.hsmSerial === s.hsmSerial)?.hsmArn ?? '');
      const isLeaving = h === leaving;
      if (h === undefined || !deviceUsable(h) || (!isLeaving && !staying.has(s.hsmSerial))) continue;
      const byHand = recoveredByHand(s, c.desired.autoRecovery, status.members);
      if (byHand) recovered.push(idOf('hapg.recoverMember', { c: c.name, g: g.label, h: h.name }));
      if (byHand || s.state === 'alive') {
        if (isLeaving) leavingLive = true;
        else stayingLive = true;
      }
    }
    if (recovered.length > 0 && leavingLive && stayingLive) ids.push(...recovered);
  }
  return ids;
}

/** Names of the members (by serial) that are reachable but out of some client's rotation. */
function outOfRotation(facts: Facts, g: HapgFacts, serials: readonly string[]): string[] {
  const names = new Set<string>();
  for (const c of facts.clients.values()) {
    for (const s of c.observed?.haStatus.find((x) => x.hapgLabel === g.label)?.members ?? []) {
      if (s.state === 'alive' || !serials.includes(s.hsmSerial)) continue;
      const h = facts.hsmByArn.get(g.observed!.members.find((m) => m.hsmSerial === s.hsmSerial)?.hsmArn ?? '');
      if (h !== undefined && deviceUsable(h)) names.add(h.name);
    }
  }
  return [...names].sort();
}

function recoveredByHand(s: MemberHaStatus, policy: Parameters<typeof needsHand>[1], all: MemberHaStatus[]): boolean {
  return needsHand(s, policy, all.some((x) => x.state === 'alive'));
}

import type { DesiredFleet } from '../../config/types.js';
import type { MemberHaStatus } from '../../fleet/types.js';
import { addressOf, idOf, type Membership } from './draft.js';
import { deviceUsable, rebuilt, type Facts, type HapgFacts } from './facts.js';
import { needsHand } from './ha.js';
import { clonersOf, lackingOf, membershipsOf, stayingBeside } from './hapgs.js';
import type { HeldBack } from './types.js';

/**
 * Removals held back for one plan. A member that leaves its group while it holds key objects no
 * staying member holds would take the last copy with it (destructive, so the whole plan is
 * refused). The staying members lack them when they were out of a client's rotation while the
 * objects were written; a recovery into rotation (automatic, or by hand) resynchronises the group
 * and copies them over, once the leaving member and a staying one are in rotation together. But a
 * refused plan also refuses the work that lets those members recover: the manual recoveries
 * themselves, and the repairs (links, registrations, assignments) automatic attempts need. So when
 * a staying member is out of rotation on a client where the leaving member is, or will be, in
 * rotation, the leaving member stays for this plan (its trusted servers, registrations and
 * `Chrystoki.conf` entries with it: its client-side teardown would take it out of the rotation the
 * recovery copies from), and this plan does the rest. Once the objects are held elsewhere, a later
 * plan removes it without loss. A plan that would then have nothing to do is refused as before,
 * with a warning that waiting for the recovery avoids the loss.
 */

/** A removal that is destructive only until members out of rotation recover. */
export interface Waiting {
  /** The removal's address (`hapg.<label>.member.<hsm>`). */
  address: string;
  /** Why, and that letting them recover avoids the loss. */
  warning: string;
}

interface Hold {
  hapg: string;
  hsm: string;
  item: HeldBack;
  /** The removal as a plan that does not hold it back sees it. */
  waiting: Waiting;
}

/**
 * The removals to hold back, from the facts of the configuration as declared; and the other
 * removals that take the last copy of objects only while members are out of rotation.
 */
export function removalsToHoldBack(facts: Facts): { holds: Hold[]; waiting: Waiting[] } {
  const holds: Hold[] = [];
  const waiting: Waiting[] = [];
  for (const g of facts.hapgs.values()) {
    if (g.desired === undefined || g.observed === undefined) continue;
    const { members } = membershipsOf(facts, g);
    // A member this plan adds clones the group's objects before any member leaves (hapgs.ts).
    if (clonersOf(members).length > 0) continue;
    for (const m of members) {
      const h = m.hsm;
      if (m.fate !== 'remove' || h === undefined || rebuilt(h)) continue;
      const lacking = lackingOf(m, members);
      if (lacking === undefined || lacking === 0) continue;
      const staying = stayingBeside(m, members);
      const away = outOfRotation(facts, g, members, [m, ...staying]);
      if (away.length === 0) continue;
      const objects = `${lacking} key object${lacking === 1 ? '' : 's'}`;
      const address = addressOf('hapg.removeMember', { g: g.label, h: h.name });
      const warning =
        `hsm ${h.name} alone holds ${objects} of hapg ${g.label}, and ${away.join(', ')} ${away.length === 1 ? 'is' : 'are'} out of rotation: ` +
        `a recovery (automatic or by hand) copies ${lacking === 1 ? 'it' : 'them'} to the staying members once hsm ${h.name} and one of them are in rotation together. ` +
        `Until then removing hsm ${h.name} is destructive: let them recover first rather than use --allow-destroy`;
      // An HSM that leaves the configuration altogether cannot stay (its secrets are gone with it).
      const resync = h.desired === undefined ? undefined : resyncOf(facts, g, members, m, staying);
      if (resync === undefined) {
        waiting.push({ address, warning });
        continue;
      }
      holds.push({
        hapg: g.label,
        hsm: h.name,
        waiting: { address, warning },
        item: {
          address,
          reason:
            `hsm ${h.name} stays in hapg ${g.label} for now: it holds ${objects} no staying member holds, and ${away.join(', ')} ${away.length === 1 ? 'is' : 'are'} out of rotation. ` +
            (resync.length > 0
              ? 'This plan recovers members, which copies the objects to them'
              : 'A recovery copies the objects to them once they are back in rotation (this plan repairs what they need)') +
            `; then a plan removes hsm ${h.name} without loss`,
          waitsFor: resync,
        },
      });
    }
  }
  return { holds, waiting };
}

/** The holds as removals that wait, for a plan that does not hold them back after all. */
export function waitingOf(holds: readonly Hold[]): Waiting[] {
  return holds.map((x) => x.waiting);
}

/** The configuration with each held-back member still listed in its group. */
export function withHeldMembers(desired: DesiredFleet, holds: readonly { hapg: string; hsm: string }[]): DesiredFleet {
  const hapgs = desired.hapgs.map((g) => {
    const kept = holds.filter((x) => x.hapg === g.label).map((x) => x.hsm);
    return kept.length === 0 ? g : { ...g, members: [...g.members, ...kept] };
  });
  return { ...desired, hapgs };
}

/** The member of the group a client's status line is about, when hsmctl manages its HSM and it answers. */
function usableMember(members: readonly Membership[], status: MemberHaStatus): Membership | undefined {
  const m = members.find((x) => x.observed?.hsmSerial === status.hsmSerial);
  return m?.hsm !== undefined && deviceUsable(m.hsm) ? m : undefined;
}

/**
 * Whether a recovery can copy the leaving member's objects to a staying member: on some client,
 * the leaving member is in rotation (or recovered by hand by this plan) while a staying member is
 * out of it. Undefined when not; else the ids of the recoveries by hand this plan makes on such
 * clients (none when the recovery is left to autoRecovery).
 */
function resyncOf(facts: Facts, g: HapgFacts, members: readonly Membership[], leaving: Membership, staying: readonly Membership[]): string[] | undefined {
  let possible = false;
  const ids: string[] = [];
  for (const c of facts.clients.values()) {
    if (c.desired === undefined || !c.desired.hapgs.includes(g.label)) continue;
    const status = c.observed?.haStatus.find((s) => s.hapgLabel === g.label);
    if (status === undefined) continue;
    const anyAlive = status.members.some((x) => x.state === 'alive');
    const recovered: string[] = [];
    let leavingLive = false;
    let stayingAway = false;
    for (const s of status.members) {
      const m = usableMember(members, s);
      if (m === undefined || (m !== leaving && !staying.includes(m))) continue;
      const byHand = needsHand(s, c.desired.autoRecovery, anyAlive);
      if (byHand) recovered.push(idOf('hapg.recoverMember', { c: c.name, g: g.label, h: m.hsm!.name }));
      if (m === leaving) leavingLive ||= byHand || s.state === 'alive';
      else stayingAway ||= s.state !== 'alive';
    }
    if (leavingLive && stayingAway) {
      possible = true;
      ids.push(...recovered);
    }
  }
  return possible ? ids : undefined;
}

/** Names of the given members that answer but are out of some client's rotation. */
function outOfRotation(facts: Facts, g: HapgFacts, members: readonly Membership[], among: readonly Membership[]): string[] {
  const names = new Set<string>();
  for (const c of facts.clients.values()) {
    for (const s of c.observed?.haStatus.find((x) => x.hapgLabel === g.label)?.members ?? []) {
      const m = s.state === 'alive' ? undefined : usableMember(members, s);
      if (m !== undefined && among.includes(m)) names.add(m.hsm!.name);
    }
  }
  return [...names].sort();
}

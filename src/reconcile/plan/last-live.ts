import { deviceUsable, type Facts } from './facts.js';
import { membershipsOf } from './hapgs.js';

/**
 * A member that leaves its group while every member that stays (or joins) cannot be reached would
 * leave the group with no member that answers: its clients would lose every HSM of it until one
 * comes back. Unreachable is not absent, so such a member stays for now, as if still declared
 * (its trusted servers, registrations and `Chrystoki.conf` entries with it), its removal is
 * listed as waiting (`Plan.deferred`), and a plan made once another member answers removes it.
 * Only a member whose HSM is still declared can stay this way; a group that leaves the
 * configuration altogether goes as planned.
 */
export interface LastLive {
  hapg: string;
  hsm: string;
  /** The removal's address (`hapg.<label>.member.<hsm>`). */
  address: string;
  warning: string;
}

export function lastLiveMembers(facts: Facts): LastLive[] {
  const out: LastLive[] = [];
  for (const g of facts.hapgs.values()) {
    if (g.desired === undefined || g.observed === undefined) continue;
    const { members } = membershipsOf(facts, g);
    const answering = members.some((m) => m.fate !== 'remove' && m.fate !== 'stray' && m.hsm !== undefined && deviceUsable(m.hsm));
    if (answering) continue;
    const away = members.filter((m) => m.fate !== 'remove' && m.hsm !== undefined && !deviceUsable(m.hsm)).map((m) => m.hsm!.name);
    for (const m of members) {
      const h = m.hsm;
      if (m.fate !== 'remove' || h === undefined || h.desired === undefined || !deviceUsable(h)) continue;
      const unseen = away.length === 0 ? 'no other member is declared' : `${away.join(', ')} cannot be reached`;
      out.push({
        hapg: g.label,
        hsm: h.name,
        address: `hapg.${g.label}.member.${h.name}`,
        warning:
          `hsm ${h.name} stays in hapg ${g.label} for now: it is the only member that answers (${unseen}), ` +
          'and removing it would leave the group\'s clients no HSM. It is removed once another member answers',
      });
    }
  }
  return out;
}

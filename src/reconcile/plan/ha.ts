import type { AutoRecoveryPolicy } from '../../config/types.js';
import type { HaSettings, MemberHaStatus } from '../../fleet/types.js';
import { addAction, addDrift, type Draft } from './draft.js';
import { deviceUsable, type ClientFacts } from './facts.js';

/**
 * A client's HA settings (`vtl haAdmin -autoRecovery`) and the manual recovery of reachable
 * members that no automatic attempt will bring back. A member that is down is never drift, and
 * one the configured policy will still retry is left to the HA library.
 */

/**
 * Tag on the control-plane client recording the autoRecovery policy hsmctl last applied
 * (`enabled retry=-1 interval=60` or `disabled`). The executor sets it after `vtl haAdmin`; a
 * client whose settings differ from it was changed by hand, which the plan reports as drift.
 */
export const HA_POLICY_TAG = 'hsmctl:auto-recovery';

/** The `HA_POLICY_TAG` value for a policy. */
export function haPolicyTagValue(policy: { autoRecovery: boolean; retry: number; interval: number }): string {
  return policy.autoRecovery ? `enabled retry=${policy.retry} interval=${policy.interval}` : 'disabled';
}

function parseTag(value: string | undefined): { autoRecovery: boolean; retry: number; interval: number } | undefined {
  if (value === 'disabled') return { autoRecovery: false, retry: 0, interval: 0 };
  const m = /^enabled retry=(-?\d+) interval=(\d+)$/.exec(value ?? '');
  return m === null ? undefined : { autoRecovery: true, retry: Number(m[1]), interval: Number(m[2]) };
}

function sameSettings(a: { autoRecovery: boolean; retry: number; interval: number }, b: HaSettings): boolean {
  return a.autoRecovery === b.autoRecovery && (!a.autoRecovery || (a.retry === b.retry && a.interval === b.interval));
}

type Policy = { autoRecovery: boolean; retry: number; interval: number };

/**
 * The change made by hand (from what hsmctl applied to what the client has) that the configured
 * policy undoes, in words; empty when there is none. A setting the configuration now gives the
 * value it was changed to by hand is a change of configuration, not drift to revert.
 */
function revertedChange(applied: Policy, now: HaSettings, wanted: Policy): string {
  if (applied.autoRecovery !== now.autoRecovery) {
    return wanted.autoRecovery === applied.autoRecovery ? `${applied.autoRecovery ? 'enabled' : 'disabled'} → ${now.autoRecovery ? 'enabled' : 'disabled'}` : '';
  }
  if (!applied.autoRecovery || !wanted.autoRecovery) return '';
  const parts: string[] = [];
  if (applied.retry !== now.retry && wanted.retry === applied.retry) parts.push(`retry ${applied.retry} → ${now.retry}`);
  if (applied.interval !== now.interval && wanted.interval === applied.interval) parts.push(`interval ${applied.interval} → ${now.interval}`);
  return parts.join(', ');
}

export function planAutoRecovery(draft: Draft, c: ClientFacts): void {
  const p: AutoRecoveryPolicy = c.desired!.autoRecovery;
  const wanted = { autoRecovery: p.enabled, retry: p.retry, interval: p.interval };
  const ha = c.observed?.ha;
  if (ha !== undefined && sameSettings(wanted, ha)) return;
  const applied = parseTag(c.observed?.tags[HA_POLICY_TAG]);
  const reverted = ha !== undefined && applied !== undefined && !sameSettings(applied, ha) ? revertedChange(applied, ha, wanted) : '';
  const drift = reverted !== '';
  const description = drift ? `autoRecovery changed by hand: ${reverted}` : '';
  const id = addAction(draft, 'client.setAutoRecovery', {
    change: ha === undefined ? 'create' : 'update',
    reason: drift
      ? `drift: ${description}`
      : ha === undefined
        ? `client ${c.name} gets the configured autoRecovery policy`
        : `client ${c.name}'s autoRecovery policy differs from the configuration`,
    before: ha === undefined ? null : { autoRecovery: ha.autoRecovery, retry: ha.retry, interval: ha.interval },
    after: { autoRecovery: p.enabled, retry: p.retry, interval: p.interval },
    params: { clientName: c.name, autoRecovery: p.enabled, retry: p.retry, interval: p.interval },
  });
  if (drift) addDrift(draft, `client.${c.name}.autoRecovery`, description, [id]);
}

/**
 * Whether only a manual recovery will bring a member back into a client's rotation: it exhausted
 * its retries; or it is `down` with no automatic attempt to come (autoRecovery off, one member,
 * not connected at startup); or it is `recovering` but no attempt can succeed (an attempt needs
 * another live member, and the group has none) or the plan replaces the policy with one that will
 * not retry it (disabled, or a retry limit it has already used up).
 */
export function needsHand(status: MemberHaStatus, policy: AutoRecoveryPolicy, groupHasLiveMember: boolean): boolean {
  if (status.state === 'needs-manual-recovery' || status.state === 'down') return true;
  if (status.state !== 'recovering') return false;
  return !groupHasLiveMember || !policy.enabled || (policy.retry !== -1 && status.attempts >= policy.retry);
}

export function planRecovery(draft: Draft, c: ClientFacts): void {
  for (const group of c.observed?.haStatus ?? []) {
    if (!c.desired!.hapgs.includes(group.hapgLabel)) continue;
    const members = draft.memberships.get(group.hapgLabel) ?? [];
    for (const status of group.members) {
      if (!needsHand(status, c.desired!.autoRecovery, group.members.some((x) => x.state === 'alive'))) continue;
      const m = members.find((x) => x.hsm?.observed?.serial === status.hsmSerial);
      const h = m?.hsm;
      // A member re-added by this plan is recovered once it is back (the dependencies see to it).
      if (h === undefined || (m!.fate !== 'keep' && m!.fate !== 'readd') || !deviceUsable(h)) continue;
      addAction(draft, 'hapg.recoverMember', {
        change: 'recover',
        reason:
          status.state === 'down'
            ? `hsm ${h.name} is out of rotation on ${c.name}, no automatic recovery will bring it back, and it is reachable again`
            : status.state === 'recovering' && !group.members.some((x) => x.state === 'alive')
              ? `no member of hapg ${group.hapgLabel} is alive on ${c.name}, so no automatic attempt can bring hsm ${h.name} back; it is reachable again`
              : status.state === 'recovering'
                ? `hsm ${h.name} is out of rotation on ${c.name} and the configured autoRecovery policy will not retry it; it is reachable again`
            : `hsm ${h.name} exhausted its automatic recovery attempts (${status.attempts}) on ${c.name} and is reachable again`,
        before: { state: status.state, attempts: status.attempts },
        after: { state: 'alive' },
        params: { clientName: c.name, hapgLabel: group.hapgLabel, hsmName: h.name, hsmSerial: status.hsmSerial },
      });
    }
  }
}

import type { ClientDoc, HaGroupDoc, HaMemberDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { haPending } from './pending.js';
import { isUsable, ReachIndex } from './reach.js';
import { synchronizeGroup } from './sync.js';

/**
 * autoRecovery, exactly as the seed states it: a member that drops out of a client's HA group is
 * retried automatically only if autoRecovery is enabled on that client, the group has at least two
 * members, the member was connected when the client started, and the retry limit is not reached.
 * Attempts come every `interval` seconds after it went down, at most `retry` of them (-1: no
 * limit). An attempt succeeds when the member is usable again and another member of the group is
 * alive (with every member failed, nothing recovers); the member is then resynchronised. Past the
 * limit it needs manual recovery; without autoRecovery it stays down until recovered by hand.
 *
 * `tickHa` runs before and after every operation of the world. Reachability only changes through
 * operations, so between two ticks it is constant, and all attempts that fell due since the last
 * tick can be decided from the current state, in constant time per member.
 */

/** Whether automatic recovery applies to this member. */
export function eligible(client: ClientDoc, group: HaGroupDoc, member: HaMemberDoc): boolean {
  return client.ha.autoRecovery && group.members.length >= 2 && member.connectedAtStartup;
}

function exhausted(client: ClientDoc, member: HaMemberDoc): boolean {
  return client.ha.retry !== -1 && member.attempts >= client.ha.retry;
}

/** Schedules (or stops) automatic attempts of a member that is out of rotation, from `now`. */
export function schedule(client: ClientDoc, group: HaGroupDoc, member: HaMemberDoc, now: number): void {
  if (!eligible(client, group, member)) {
    member.state = 'down';
    member.nextAttemptAt = null;
  } else if (exhausted(client, member)) {
    member.state = 'needs-manual-recovery';
    member.nextAttemptAt = null;
  } else {
    member.state = 'recovering';
    member.nextAttemptAt = now + client.ha.interval * 1000;
  }
}

/** Takes a member out of rotation at `now`. */
export function markDown(client: ClientDoc, group: HaGroupDoc, member: HaMemberDoc, now: number): void {
  member.attempts = 0;
  member.downSince = now;
  schedule(client, group, member, now);
}

/** Puts a member back in rotation (the caller resynchronises the group). */
export function markAlive(member: HaMemberDoc): void {
  member.state = 'alive';
  member.attempts = 0;
  member.downSince = null;
  member.nextAttemptAt = null;
}

/** Runs the attempts of one member that fell due up to `now`; true if it came back. */
function runDueAttempts(ctx: Ctx, client: ClientDoc, member: HaMemberDoc, anotherAlive: boolean, index: ReachIndex): boolean {
  if (member.state !== 'recovering' || member.nextAttemptAt === null || member.nextAttemptAt > ctx.now) return false;
  const intervalMs = client.ha.interval * 1000;
  const due = Math.floor((ctx.now - member.nextAttemptAt) / intervalMs) + 1;
  if (anotherAlive && isUsable(ctx, client, member, index)) {
    markAlive(member);
    return true;
  }
  const left = client.ha.retry === -1 ? Infinity : client.ha.retry - member.attempts;
  if (due >= left) {
    member.attempts = client.ha.retry;
    member.state = 'needs-manual-recovery';
    member.nextAttemptAt = null;
  } else {
    member.attempts += due;
    member.nextAttemptAt += due * intervalMs;
  }
  return false;
}

/**
 * Runs due recovery attempts and notices members that became unusable, for every client. A tick
 * changes member states and key objects only, never links, servers or partitions, so one
 * `ReachIndex` serves the whole tick. Most operations leave nothing to do: that is checked first,
 * without building anything.
 */
export function tickHa(ctx: Ctx): void {
  if (!haPending(ctx)) return;
  const index = new ReachIndex();
  for (const client of Object.values(ctx.world.clients)) {
    for (const group of client.groups) {
      // Attempts change no reachability: whether each live member is usable is asked once per tick.
      const usable = new Map(group.members.filter((m) => m.state === 'alive').map((m) => [m, isUsable(ctx, client, m, index)]));
      const alive = new Set([...usable].filter(([, ok]) => ok).map(([m]) => m));
      let recovered = false;
      for (const member of group.members) {
        const anotherAlive = alive.size > (alive.has(member) ? 1 : 0);
        if (runDueAttempts(ctx, client, member, anotherAlive, index)) recovered = true;
      }
      for (const member of group.members) {
        // A member that just came back was usable (that is how it came back).
        if (member.state === 'alive' && usable.get(member) === false) markDown(client, group, member, ctx.now);
      }
      if (recovered) synchronizeGroup(ctx, client, group);
    }
  }
}

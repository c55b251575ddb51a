import { isPending } from '../world/status.js';
import type { ClientDoc, HsmDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { isUsable, ReachIndex } from './reach.js';

/**
 * Whether reading the world must run `tickHa` first: an autoRecovery attempt fell due, or a live
 * member stopped being usable. Every describe asks, so for a long-running reader (watch) the
 * expensive half is remembered: a client whose live members were all usable stays so while its
 * document and its members' HSM documents are the very same frozen objects (the store's `peek`
 * shares unchanged documents, and a frozen document cannot change) and no HSM is provisioning.
 * Documents a mutation works on are never frozen, so never remembered.
 */

/** A client found with every live member usable, and what that answer was made from. */
interface AllUsable {
  /** The HSM document of each member, in member order. */
  hsms: (HsmDoc | undefined)[];
  /** The world's provisioning time then (a longer one could make an HSM provisioning again). */
  provisioningMs: number;
  /** Virtual time from which none of them is provisioning any more. */
  readyAt: number;
}

const allUsable = new WeakMap<ClientDoc, AllUsable>();

/** Whether `tickHa` would change anything now. */
export function haPending(ctx: Ctx): boolean {
  const index = new ReachIndex();
  for (const client of Object.values(ctx.world.clients)) {
    for (const group of client.groups) {
      for (const member of group.members) {
        if (member.state === 'recovering' && member.nextAttemptAt !== null && member.nextAttemptAt <= ctx.now) return true;
      }
    }
    if (livesUnchanged(ctx, client)) continue;
    for (const group of client.groups) {
      for (const member of group.members) {
        if (member.state === 'alive' && !isUsable(ctx, client, member, index)) return true;
      }
    }
    remember(ctx, client);
  }
  return false;
}

function hsmsOf(ctx: Ctx, client: ClientDoc): (HsmDoc | undefined)[] {
  return client.groups.flatMap((g) => g.members.map((m) => ctx.world.hsms[m.hsmId]));
}

/** Whether the client was found all usable from these very (frozen) documents. */
function livesUnchanged(ctx: Ctx, client: ClientDoc): boolean {
  const known = allUsable.get(client);
  if (known === undefined || known.provisioningMs !== ctx.world.meta.provisioningMs || ctx.now < known.readyAt) return false;
  const hsms = hsmsOf(ctx, client);
  return hsms.length === known.hsms.length && hsms.every((h, i) => h === known.hsms[i]);
}

/** Remembers a client found all usable, when every document the answer rests on is frozen. */
function remember(ctx: Ctx, client: ClientDoc): void {
  if (!Object.isFrozen(client)) return;
  const hsms = hsmsOf(ctx, client);
  if (!hsms.every((h) => h !== undefined && Object.isFrozen(h) && !isPending(h, ctx.world.meta, ctx.now))) return;
  const readyAt = Math.max(0, ...hsms.map((h) => h!.createdAt + ctx.world.meta.provisioningMs));
  allUsable.set(client, { hsms, provisioningMs: ctx.world.meta.provisioningMs, readyAt });
}

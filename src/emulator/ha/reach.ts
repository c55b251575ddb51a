import { memberPartition } from '../control-plane/hapg.js';
import { answers } from '../world/status.js';
import type { ClientDoc, HaMemberDoc, PartitionDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';

/**
 * Whether a client can use a member of one of its HA groups right now: the appliance answers and
 * still holds the member partition, and the Network Trust Link is whole on both sides (the HSM
 * has the client registered with its certificate and the partition assigned; the client trusts
 * the HSM's current server certificate). A member that is not usable drops out of rotation.
 */
export function usablePartition(ctx: Ctx, client: ClientDoc, member: HaMemberDoc): PartitionDoc | undefined {
  const hsm = ctx.world.hsms[member.hsmId];
  if (hsm === undefined || hsm.zeroized || !answers(hsm, ctx.world.meta, ctx.now)) return undefined;
  const partition = memberPartition(ctx.world, member.hsmId, member.partitionName);
  if (partition === undefined || client.certificate === null) return undefined;
  const link = hsm.clients.find((c) => c.id === client.name);
  if (link === undefined || link.certificateFingerprint !== client.certificate.fingerprint) return undefined;
  if (!link.partitions.includes(member.partitionName)) return undefined;
  const trusted = client.servers.some((s) => s.host === hsm.eniIp && s.certificate.fingerprint === hsm.serverCertificate.fingerprint);
  return trusted ? partition : undefined;
}

/** Whether the client can use the member now. */
export function isUsable(ctx: Ctx, client: ClientDoc, member: HaMemberDoc): boolean {
  return usablePartition(ctx, client, member) !== undefined;
}

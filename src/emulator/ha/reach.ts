import { memberPartition } from '../control-plane/hapg.js';
import { answers } from '../world/status.js';
import type { ApplianceClientDoc, ClientDoc, HaMemberDoc, HsmDoc, PartitionDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';

/**
 * Whether a client can use a member of one of its HA groups right now: the appliance answers and
 * still holds the member partition, and the Network Trust Link is whole on both sides (the HSM
 * has the client registered with its certificate and the partition assigned; the client trusts
 * the HSM's current server certificate). A member that is not usable drops out of rotation.
 */

/**
 * Lookups for asking about many members of a world that does not change meanwhile (one HA tick,
 * one check of whether a tick is due): each HSM's registered clients and each client's trusted
 * servers, indexed the first time they are needed. Without it, every question scans those lists.
 */
export class ReachIndex {
  readonly #links = new Map<HsmDoc, Map<string, ApplianceClientDoc>>();
  readonly #trusted = new Map<ClientDoc, Map<string, string[]>>();

  /** The HSM's registration of the client named `name` (the first, as the appliance lists them). */
  link(hsm: HsmDoc, name: string): ApplianceClientDoc | undefined {
    let links = this.#links.get(hsm);
    if (links === undefined) {
      links = new Map();
      for (const c of hsm.clients) if (!links.has(c.id)) links.set(c.id, c);
      this.#links.set(hsm, links);
    }
    return links.get(name);
  }

  /** Whether the client trusts `fingerprint` as the server certificate of `host`. */
  trusts(client: ClientDoc, host: string, fingerprint: string): boolean {
    let trusted = this.#trusted.get(client);
    if (trusted === undefined) {
      trusted = new Map();
      for (const s of client.servers) {
        const fingerprints = trusted.get(s.host);
        if (fingerprints === undefined) trusted.set(s.host, [s.certificate.fingerprint]);
        else fingerprints.push(s.certificate.fingerprint);
      }
      this.#trusted.set(client, trusted);
    }
    return trusted.get(host)?.includes(fingerprint) === true;
  }
}

export function usablePartition(ctx: Ctx, client: ClientDoc, member: HaMemberDoc, index?: ReachIndex): PartitionDoc | undefined {
  const hsm = ctx.world.hsms[member.hsmId];
  if (hsm === undefined || hsm.zeroized || !answers(hsm, ctx.world.meta, ctx.now)) return undefined;
  const partition = memberPartition(ctx.world, member.hsmId, member.partitionName);
  if (partition === undefined || client.certificate === null) return undefined;
  const link = index !== undefined ? index.link(hsm, client.name) : hsm.clients.find((c) => c.id === client.name);
  if (link === undefined || link.certificateFingerprint !== client.certificate.fingerprint) return undefined;
  if (!link.partitions.includes(member.partitionName)) return undefined;
  const fingerprint = hsm.serverCertificate.fingerprint;
  const trusted = index !== undefined ? index.trusts(client, hsm.eniIp, fingerprint) : client.servers.some((s) => s.host === hsm.eniIp && s.certificate.fingerprint === fingerprint);
  return trusted ? partition : undefined;
}

/** Whether the client can use the member now (`index`: see `ReachIndex`). */
export function isUsable(ctx: Ctx, client: ClientDoc, member: HaMemberDoc, index?: ReachIndex): boolean {
  return usablePartition(ctx, client, member, index) !== undefined;
}

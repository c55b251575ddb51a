import { addAction, type Draft } from './draft.js';
import { deviceUsable, type ClientFacts, type HapgFacts, type HsmFacts } from './facts.js';
import { hsmsOf } from './clients.js';
import { applianceEntry, groupHolding, groupsLeft, hsmAt, hsmsListing, registeredGroups, isRegistered, revokedByDeregistration, surelyLosesRegistration, unreachableMembers } from './links.js';

/**
 * What a client no longer needs, undone in reverse order of the procedure: group registrations
 * (which revoke the group's partitions and delete the client from HSMs where it has none left),
 * assignments nothing else revokes, its registration on HSMs it no longer uses, trusted servers of
 * managed HSMs it no longer uses; and a managed client that left the configuration is deleted.
 * Nothing is undone on an HSM this plan wipes anyway, nor on one that cannot be reached.
 */
export function planClientTeardown(draft: Draft, c: ClientFacts): void {
  // A client that does not exist and that no appliance lists has nothing to undo.
  if (c.observed === undefined && hsmsListing(draft, c.name).length === 0) return;
  const facts = draft.facts;
  const wantedGroups = new Set(c.desired?.hapgs ?? []);
  const wantedHsms = new Set(hsmsOf(draft, c).map((h) => h.name));

  for (const g of groupsLeft(draft, c)) deregister(draft, c, g);
  let stillRegistered = false;
  const mine = registeredGroups(draft, c);
  const leaving = [...mine].some((g) => !wantedGroups.has(g.label));
  for (const g of leaving ? facts.hapgs.values() : []) {
    // delete-hapg drops the group's registrations: a group that goes needs no deregistration.
    if (wantedGroups.has(g.label) || g.verdict === 'leave' || !mine.has(g)) continue;
    const away = unreachableMembers(draft, g);
    if (away.length > 0) {
      stillRegistered = true;
      draft.warnings.push(`client ${c.name} cannot be deregistered from hapg ${g.label} while ${away.join(', ')} cannot be reached`);
      draft.deferred.add(`hapg.${g.label}.client.${c.name}`);
    }
  }

  // Only the HSMs whose appliance lists the client can hold anything of it to undo.
  for (const h of hsmsListing(draft, c.name)) {
    if (h.verdict === 'leave') continue;
    const entry = applianceEntry(h, c.name);
    if (entry === undefined) continue;
    const revoked = revokedByDeregistration(draft, c, h);
    for (const partitionName of entry.partitions) {
      const g = groupOfPartition(draft, h, partitionName);
      if (g === undefined || revoked.has(partitionName)) continue;
      const member = draft.memberships.get(g.label)?.find((m) => m.hsm === h);
      if (member?.fate === 'remove' || member?.fate === 'readd') continue; // the partition itself goes
      if (!(wantedGroups.has(g.label) && (g.desired?.members ?? []).includes(h.name))) revoke(draft, c, h, g, partitionName);
    }
    if (!wantedHsms.has(h.name) && !surelyLosesRegistration(draft, c, h, entry)) {
      addAction(draft, 'hsm.deregisterClient', {
        change: 'delete',
        reason: `client ${c.name} ${c.verdict === 'leave' ? 'is no longer in the configuration' : `no longer uses hsm ${h.name}`}`,
        before: { client: c.name, hostname: entry.hostname },
        after: null,
        params: { hsmName: h.name, hsmArn: h.observed!.arn, host: h.observed!.eniIp, clientName: c.name },
      });
    }
  }

  if (c.verdict !== 'leave') {
    for (const server of c.observed?.servers ?? []) {
      const h = hsmAt(draft, server.host);
      if (h === undefined || !deviceUsable(h) || wantedHsms.has(h.name)) continue;
      addAction(draft, 'client.deleteServer', {
        change: 'delete',
        reason:
          h.verdict === 'leave' ? `hsm ${h.name} is no longer in the configuration` : `client ${c.name} no longer uses hsm ${h.name}`,
        before: { host: server.host, serverCertificate: server.serverCertificateFingerprint },
        after: null,
        params: { clientName: c.name, hsmName: h.name, host: server.host },
      });
    }
  }

  // delete-client is refused while the client is registered to a group.
  if (c.verdict === 'leave' && !stillRegistered) {
    const o = c.observed!;
    const groupsGoing = [...facts.hapgs.values()].filter((g) => g.verdict === 'leave' && isRegistered(c, g));
    const id = addAction(draft, 'client.delete', {
      change: 'delete',
      reason: `client ${c.name} is no longer in the configuration`,
      before: { arn: o.arn, certificate: o.certificateFingerprint },
      after: null,
      params: { clientName: c.name, clientArn: o.arn! },
    });
    draft.extraDeps.set(id, groupsGoing.map((g) => ({ kind: 'hapg.delete', names: { g: g.label } })));
  }
}

/** The managed HAPG a partition on an HSM belongs to, per the control plane's member records. */
function groupOfPartition(draft: Draft, h: HsmFacts, partitionName: string): HapgFacts | undefined {
  return h.observed === undefined ? undefined : groupHolding(draft, h.observed.arn, partitionName);
}

function deregister(draft: Draft, c: ClientFacts, g: HapgFacts): void {
  addAction(draft, 'hapg.deregisterClient', {
    change: 'delete',
    reason:
      g.verdict === 'leave'
        ? `hapg ${g.label} is no longer in the configuration`
        : c.verdict === 'leave'
          ? `client ${c.name} is no longer in the configuration`
          : `client ${c.name} no longer uses hapg ${g.label}`,
    before: { client: c.name, hapg: g.label },
    after: null,
    params: { hapgLabel: g.label, hapgArn: g.observed!.arn, clientName: c.name, clientArn: c.observed!.arn! },
  });
}

function revoke(draft: Draft, c: ClientFacts, h: HsmFacts, g: HapgFacts, partitionName: string): void {
  addAction(draft, 'partition.revoke', {
    change: 'delete',
    reason: isRegistered(c, g)
      ? `client ${c.name} no longer uses hapg ${g.label}`
      : `client ${c.name} is assigned hapg ${g.label}'s partition on hsm ${h.name} without being registered to the group`,
    before: { client: c.name, partition: partitionName },
    after: null,
    params: {
      hsmName: h.name,
      hsmArn: h.observed!.arn,
      host: h.observed!.eniIp,
      hapgLabel: g.label,
      hapgArn: g.observed!.arn,
      clientName: c.name,
      partitionName,
    },
  });
}

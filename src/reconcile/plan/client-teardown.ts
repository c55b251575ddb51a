import { addAction, type Draft } from './draft.js';
import { deviceUsable, type ClientFacts, type HapgFacts, type HsmFacts } from './facts.js';
import { applianceEntry, hsmsOf, isRegistered } from './clients.js';

/**
 * What a client no longer needs, undone in reverse order of the procedure: group registrations,
 * partition assignments, its registration on HSMs it no longer uses, trusted servers of managed
 * HSMs it no longer uses; and a managed client that left the configuration is deleted. Nothing is
 * undone on an HSM this plan wipes anyway, nor on one that cannot be reached.
 */
export function planClientTeardown(draft: Draft, c: ClientFacts): void {
  const facts = draft.facts;
  const wantedGroups = new Set(c.desired?.hapgs ?? []);
  const wantedHsms = new Set(hsmsOf(draft, c).map((h) => h.name));

  for (const g of facts.hapgs.values()) {
    if (isRegistered(c, g) && !wantedGroups.has(g.label)) deregister(draft, c, g);
  }

  for (const h of facts.hsms.values()) {
    if (h.verdict === 'leave') continue;
    const entry = applianceEntry(h, c.name);
    if (entry === undefined) continue;
    for (const partitionName of entry.partitions) {
      const g = groupOfPartition(draft, h, partitionName);
      if (g === undefined) continue;
      const stillWanted = wantedGroups.has(g.label) && (g.desired?.members ?? []).includes(h.name);
      if (!stillWanted) revoke(draft, c, h, g, partitionName);
    }
    if (!wantedHsms.has(h.name)) {
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
      const h = [...facts.hsms.values()].find((x) => x.observed?.eniIp === server.host);
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

  if (c.verdict === 'leave') {
    const o = c.observed!;
    addAction(draft, 'client.delete', {
      change: 'delete',
      reason: `client ${c.name} is no longer in the configuration`,
      before: { arn: o.arn, certificate: o.certificateFingerprint },
      after: null,
      params: { clientName: c.name, clientArn: o.arn! },
    });
  }
}

/** The managed HAPG a partition on an HSM belongs to, per the control plane's member records. */
function groupOfPartition(draft: Draft, h: HsmFacts, partitionName: string): HapgFacts | undefined {
  return [...draft.facts.hapgs.values()].find((g) =>
    g.observed?.members.some((m) => m.hsmArn === h.observed?.arn && m.partitionName === partitionName),
  );
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
    reason:
      g.verdict === 'leave'
        ? `hapg ${g.label} is no longer in the configuration`
        : !(g.desired?.members ?? []).includes(h.name)
          ? `hsm ${h.name} is no longer a member of hapg ${g.label}`
          : `client ${c.name} no longer uses hapg ${g.label}`,
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

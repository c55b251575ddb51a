import { clientCertificatePath } from '../../fleet/chrystoki.js';
import { addAction, addDrift, type Draft } from './draft.js';
import { deviceUsable, rebuilt, type ClientFacts, type HsmFacts } from './facts.js';
import { partitionNameOf } from './hapgs.js';
import { UNKNOWN, compareText, orUnknown } from './kinds.js';
import { planClientTeardown } from './client-teardown.js';
import { applianceEntry, isRegistered, registeredGroups, survivingEntry, trustedServer, unreachableMembers } from './links.js';

/**
 * Client instances and their trust relationships: the client's identity (certificate and
 * control-plane client), one Network Trust Link per HSM it uses (the HSM's server certificate on
 * the client, the client's certificate on the HSM), a partition assignment per group member, and
 * the group registration. What a client no longer needs is torn down in `client-teardown.ts`.
 */
export function planClients(draft: Draft): void {
  for (const c of draft.facts.clients.values()) {
    if (c.verdict === 'create') {
      addAction(draft, 'client.create', {
        change: 'create',
        reason: `client ${c.name} is declared but has no client certificate registered with CloudHSM`,
        before: null,
        after: { certificate: clientCertificatePath(c.name), arn: UNKNOWN },
        params: { clientName: c.name },
      });
    }
    if (c.verdict !== 'leave') {
      for (const h of hsmsOf(draft, c)) planTrust(draft, c, h);
      for (const label of c.desired!.hapgs) planGroup(draft, c, label);
    }
    planClientTeardown(draft, c);
  }
}

/** The HSMs a declared client uses: every member of its groups, by name. */
export function hsmsOf(draft: Draft, c: ClientFacts): readonly HsmFacts[] {
  // A function of the paired fleets and the client's groups only: computed once per set of groups.
  const labels = c.desired?.hapgs ?? [];
  let bySet = usedHsms.get(draft.facts);
  if (bySet === undefined) usedHsms.set(draft.facts, (bySet = new Map()));
  const key = labels.join('\0');
  const known = bySet.get(key);
  if (known !== undefined) return known;
  const names = new Set<string>();
  for (const label of labels) {
    for (const name of draft.facts.hapgs.get(label)?.desired?.members ?? []) names.add(name);
  }
  const hsms = [...names].sort(compareText).flatMap((n) => draft.facts.hsms.get(n) ?? []);
  bySet.set(key, hsms);
  return hsms;
}
const usedHsms = new WeakMap<Draft['facts'], Map<string, HsmFacts[]>>();

/** Whether hsmctl had finished setting up (c, h) once: c registered to a group that lists h. */
function wasLinked(draft: Draft, c: ClientFacts, h: HsmFacts): boolean {
  if (h.observed === undefined || rebuilt(h)) return false;
  for (const g of registeredGroups(draft, c)) if (g.observed!.members.some((m) => m.hsmArn === h.observed!.arn)) return true;
  return false;
}

/** How trust actions name an HSM (its ARN and address once it exists); one object per HSM. */
function hsmRefOf(h: HsmFacts): { hsmName: string; hsmArn?: string; host?: string } {
  let ref = hsmRefs.get(h);
  if (ref === undefined) {
    const o = h.observed;
    hsmRefs.set(h, (ref = { hsmName: h.name, ...(o ? { hsmArn: o.arn, host: o.eniIp } : {}) }));
  }
  return ref;
}
const hsmRefs = new WeakMap<HsmFacts, { hsmName: string; hsmArn?: string; host?: string }>();

function planTrust(draft: Draft, c: ClientFacts, h: HsmFacts): void {
  if (!deviceUsable(h)) return;
  const o = h.observed;
  const server = o === undefined || c.observed === undefined ? undefined : trustedServer(c.observed, o.eniIp);
  const linked = wasLinked(draft, c, h);
  const hsmRef = hsmRefOf(h);
  if (server === undefined || server.serverCertificateFingerprint !== o!.serverCertificateFingerprint) {
    const stale = server !== undefined;
    const description = stale
      ? `${c.name} trusts another server certificate for hsm ${h.name} than the HSM presents`
      : `server hsm ${h.name} (${o?.eniIp}) removed from ${c.name}'s trusted servers`;
    const drift = stale || linked;
    const id = addAction(draft, 'client.addServer', {
      change: stale ? 'update' : 'create',
      reason: drift ? `drift: ${description}` : `client ${c.name} uses hsm ${h.name} (a member of its groups)`,
      before: stale ? { host: server.host, serverCertificate: server.serverCertificateFingerprint } : null,
      after: { host: orUnknown(o?.eniIp), serverCertificate: orUnknown(o?.serverCertificateFingerprint) },
      params: { clientName: c.name, ...hsmRef },
    });
    if (drift) addDrift(draft, `client.${c.name}.server.${h.name}`, description, [id]);
  }
  const entry = survivingEntry(draft, c, h);
  const lost = entry === undefined && applianceEntry(h, c.name) !== undefined;
  const certificate = c.observed?.certificateFingerprint ?? null;
  if (entry === undefined || (certificate !== null && entry.certificateFingerprint !== certificate)) {
    const stale = entry !== undefined;
    const description = stale
      ? `client ${c.name} is registered on hsm ${h.name} with another certificate`
      : `client ${c.name} deleted from hsm ${h.name} out of band`;
    const drift = stale || (linked && !lost);
    const id = addAction(draft, 'hsm.registerClient', {
      change: stale ? 'update' : 'create',
      reason: drift
        ? `drift: ${description}`
        : lost
          ? `leaving a group deletes ${c.name}'s registration on hsm ${h.name} (no partition left there), and ${c.name} still uses it`
          : `a Network Trust Link between ${c.name} and hsm ${h.name} is needed`,
      before: stale ? { client: c.name, certificate: entry.certificateFingerprint } : null,
      after: { client: c.name, hostname: c.name, certificate: orUnknown(certificate) },
      params: { ...hsmRef, clientName: c.name, hostname: c.name },
    });
    if (drift) addDrift(draft, `hsm.${h.name}.client.${c.name}`, description, [id]);
  }
}

function planGroup(draft: Draft, c: ClientFacts, label: string): void {
  const g = draft.facts.hapgs.get(label);
  if (g === undefined) return;
  for (const m of draft.memberships.get(label) ?? []) {
    const h = m.hsm;
    if (h === undefined || !deviceUsable(h) || m.fate === 'remove' || m.fate === 'stray' || m.fate === 'blocked') continue;
    const partitionName = partitionNameOf(g, h);
    const entry = m.fate === 'keep' ? survivingEntry(draft, c, h) : undefined;
    if (entry !== undefined && partitionName !== undefined && entry.partitions.includes(partitionName)) continue;
    const drift = entry !== undefined && isRegistered(c, g);
    const description = `partition assignment of ${partitionName} to ${c.name} revoked out of band on hsm ${h.name}`;
    const id = addAction(draft, 'partition.assign', {
      change: 'create',
      reason: drift ? `drift: ${description}` : `client ${c.name} uses hapg ${label}, so it needs hsm ${h.name}'s partition of it`,
      before: null,
      after: { client: c.name, partition: orUnknown(partitionName) },
      params: {
        hsmName: h.name,
        ...(h.observed ? { hsmArn: h.observed.arn, host: h.observed.eniIp } : {}),
        hapgLabel: label,
        ...(g.observed ? { hapgArn: g.observed.arn } : {}),
        clientName: c.name,
        ...(partitionName !== undefined ? { partitionName } : {}),
      },
    });
    if (drift) addDrift(draft, `hsm.${h.name}.partition.${label}.${c.name}`, description, [id]);
  }
  if (!isRegistered(c, g)) {
    const away = unreachableMembers(draft, g);
    if (away.length > 0) {
      draft.warnings.push(`client ${c.name} cannot be registered to hapg ${label} while ${away.join(', ')} cannot be reached`);
      return;
    }
    addAction(draft, 'hapg.registerClient', {
      change: 'create',
      reason: `client ${c.name} is declared to use hapg ${label}`,
      before: null,
      after: { client: c.name, hapg: label },
      params: {
        hapgLabel: label,
        ...(g.observed ? { hapgArn: g.observed.arn } : {}),
        clientName: c.name,
        ...(c.observed?.arn ? { clientArn: c.observed.arn } : {}),
      },
    });
  }
}

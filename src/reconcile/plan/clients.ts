import { clientCertificatePath } from '../../fleet/chrystoki.js';
import { addAction, addDrift, type Draft } from './draft.js';
import { deviceUsable, rebuilt, type ClientFacts, type HapgFacts, type HsmFacts } from './facts.js';
import type { ActionParamsByKind, FieldValue } from './types.js';
import { partitionNameOf } from './hapgs.js';
import { UNKNOWN, compareText, orUnknown } from './kinds.js';
import { planClientTeardown } from './client-teardown.js';
import { applianceEntry, configuredWith, isRegistered, registeredGroups, survivingEntry, trustedServer, unreachableMembers } from './links.js';

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
      const values = clientValues(c);
      for (const h of hsmsOf(draft, c)) planTrust(draft, c, h, values);
      for (const label of c.desired!.hapgs) planGroup(draft, c, label, values);
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

/**
 * Whether hsmctl had finished setting up (c, h) once: c is registered to a group that lists h, and
 * its configuration was written with h in that group (`configuredWith`).
 */
function wasLinked(draft: Draft, c: ClientFacts, h: HsmFacts): boolean {
  if (h.observed === undefined || rebuilt(h)) return false;
  for (const g of registeredGroups(draft, c)) {
    if (g.observed!.members.some((m) => m.hsmArn === h.observed!.arn) && configuredWith(c, g.label, h)) return true;
  }
  return false;
}

/**
 * The `after` values and reasons every action of one client about one of its HSMs has alike
 * (frozen and shared: large plans hold one per client instead of one per action). The action's
 * address names the HSM, so a reason shared by the client's actions of a kind says all there is.
 */
interface ClientValues {
  /** After `hsm.registerClient`. */
  registered: Readonly<Record<string, FieldValue>>;
  /** After `partition.assign` of a partition whose name is known only after apply. */
  assignedUnknown: Readonly<Record<string, FieldValue>>;
  /** Why `client.addServer` is needed (when it is not drift). */
  usesServer: string;
  /** Why `hsm.registerClient` is needed (when it is not drift, and no deregistration lost it). */
  needsLink: string;
}

function clientValues(c: ClientFacts): ClientValues {
  const certificate = orUnknown(c.observed?.certificateFingerprint);
  return {
    registered: Object.freeze({ client: c.name, hostname: c.name, certificate }),
    assignedUnknown: Object.freeze({ client: c.name, partition: UNKNOWN }),
    usesServer: `client ${c.name} uses the members of its groups`,
    needsLink: `client ${c.name} needs a Network Trust Link with each member of its groups`,
  };
}

/** After `client.addServer` of an HSM that does not exist yet. */
const NEW_SERVER: Readonly<Record<string, FieldValue>> = Object.freeze({ host: UNKNOWN, serverCertificate: UNKNOWN });

function planTrust(draft: Draft, c: ClientFacts, h: HsmFacts, values: ClientValues): void {
  if (!deviceUsable(h)) return;
  const o = h.observed;
  const server = o === undefined || c.observed === undefined ? undefined : trustedServer(c.observed, o.eniIp);
  const linked = wasLinked(draft, c, h);
  if (server === undefined || server.serverCertificateFingerprint !== o!.serverCertificateFingerprint) {
    const stale = server !== undefined;
    const drift = stale || linked;
    const description = !drift
      ? ''
      : stale
        ? `${c.name} trusts another server certificate for hsm ${h.name} than the HSM presents`
        : `server hsm ${h.name} (${o?.eniIp}) removed from ${c.name}'s trusted servers`;
    const id = addAction(draft, 'client.addServer', {
      change: stale ? 'update' : 'create',
      reason: drift ? `drift: ${description}` : values.usesServer,
      before: stale ? { host: server.host, serverCertificate: server.serverCertificateFingerprint } : null,
      after: o === undefined ? NEW_SERVER : { host: o.eniIp, serverCertificate: o.serverCertificateFingerprint },
      params: o === undefined ? { clientName: c.name, hsmName: h.name } : { clientName: c.name, hsmName: h.name, hsmArn: o.arn, host: o.eniIp },
    });
    if (drift) addDrift(draft, `client.${c.name}.server.${h.name}`, description, [id]);
  }
  const entry = survivingEntry(draft, c, h);
  const lost = entry === undefined && applianceEntry(h, c.name) !== undefined;
  const certificate = c.observed?.certificateFingerprint ?? null;
  if (entry === undefined || (certificate !== null && entry.certificateFingerprint !== certificate)) {
    const stale = entry !== undefined;
    const drift = stale || (linked && !lost);
    const description = !drift
      ? ''
      : stale
        ? `client ${c.name} is registered on hsm ${h.name} with another certificate`
        : `client ${c.name} deleted from hsm ${h.name} out of band`;
    const id = addAction(draft, 'hsm.registerClient', {
      change: stale ? 'update' : 'create',
      reason: drift
        ? `drift: ${description}`
        : lost
          ? `leaving a group deletes ${c.name}'s registration on hsm ${h.name} (no partition left there), and ${c.name} still uses it`
          : values.needsLink,
      before: stale ? { client: c.name, certificate: entry.certificateFingerprint } : null,
      after: values.registered,
      params:
        o === undefined
          ? { hsmName: h.name, clientName: c.name, hostname: c.name }
          : { hsmName: h.name, hsmArn: o.arn, host: o.eniIp, clientName: c.name, hostname: c.name },
    });
    if (drift) addDrift(draft, `hsm.${h.name}.client.${c.name}`, description, [id]);
  }
}

function planGroup(draft: Draft, c: ClientFacts, label: string, values: ClientValues): void {
  const g = draft.facts.hapgs.get(label);
  if (g === undefined) return;
  let uses: string | undefined; // shared by the assignments of this group's partitions
  for (const m of draft.memberships.get(label) ?? []) {
    const h = m.hsm;
    if (h === undefined || !deviceUsable(h) || m.fate === 'remove' || m.fate === 'stray' || m.fate === 'blocked') continue;
    const partitionName = partitionNameOf(g, h);
    const entry = m.fate === 'keep' ? survivingEntry(draft, c, h) : undefined;
    if (entry !== undefined && partitionName !== undefined && entry.partitions.includes(partitionName)) continue;
    const drift = entry !== undefined && isRegistered(c, g) && configuredWith(c, label, h);
    const description = drift ? `partition assignment of ${partitionName} to ${c.name} revoked out of band on hsm ${h.name}` : '';
    const id = addAction(draft, 'partition.assign', {
      change: 'create',
      reason: drift ? `drift: ${description}` : (uses ??= `client ${c.name} uses hapg ${label}, so it needs a partition on each member`),
      before: null,
      after: partitionName === undefined ? values.assignedUnknown : { client: c.name, partition: partitionName },
      params: assignParams(h, g, c.name, partitionName),
    });
    if (drift) addDrift(draft, `hsm.${h.name}.partition.${label}.${c.name}`, description, [id]);
  }
  if (!isRegistered(c, g)) {
    const away = unreachableMembers(draft, g);
    if (away.length > 0) {
      draft.warnings.push(`client ${c.name} cannot be registered to hapg ${label} while ${away.join(', ')} cannot be reached`);
      draft.deferred.add(`hapg.${label}.client.${c.name}`);
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

/** The params of `partition.assign`: ARNs and the address of what exists, the partition name once both do. */
function assignParams(h: HsmFacts, g: HapgFacts, clientName: string, partitionName: string | undefined): ActionParamsByKind['partition.assign'] {
  const ho = h.observed;
  const go = g.observed;
  const hsmName = h.name;
  const hapgLabel = g.label;
  if (ho !== undefined && go !== undefined && partitionName !== undefined) {
    return { hsmName, hsmArn: ho.arn, host: ho.eniIp, hapgLabel, hapgArn: go.arn, clientName, partitionName };
  }
  if (ho !== undefined) return { hsmName, hsmArn: ho.arn, host: ho.eniIp, hapgLabel, clientName };
  if (go !== undefined) return { hsmName, hapgLabel, hapgArn: go.arn, clientName };
  return { hsmName, hapgLabel, clientName };
}

import type { ClientInstance, RegisteredClient, TrustedServer } from '../../fleet/types.js';
import type { Draft } from './draft.js';
import { deviceUsable, rebuilt, type ClientFacts, type HapgFacts, type HsmFacts } from './facts.js';

/**
 * How a client is linked to groups and HSMs now, and what the plan's group deregistrations do to
 * those links. `deregister-client-from-hapg` revokes the group's partition on every member and
 * deletes the client from an HSM where it has no partition left; `register-client-to-hapg` and
 * its inverse talk to every member, so they wait while a member cannot be reached.
 */

/** Sets over observed ARN lists, built once per list: membership tests in O(1) on large fleets. */
const arnSets = new WeakMap<readonly string[], Set<string>>();
function arnSet(list: readonly string[]): Set<string> {
  let set = arnSets.get(list);
  if (set === undefined) arnSets.set(list, (set = new Set(list)));
  return set;
}

/** An appliance's registered clients by id, built once per observed list. */
const clientMaps = new WeakMap<readonly RegisteredClient[], Map<string, RegisteredClient>>();
function clientsById(list: readonly RegisteredClient[]): Map<string, RegisteredClient> {
  let map = clientMaps.get(list);
  if (map === undefined) clientMaps.set(list, (map = new Map(list.map((e) => [e.id, e]))));
  return map;
}

/** A client's trusted servers by host, built once per observed list. */
const serverMaps = new WeakMap<readonly TrustedServer[], Map<string, TrustedServer>>();

/** The server the client trusts at `host` (the first listed, as a lookup by host finds it). */
export function trustedServer(client: ClientInstance, host: string): TrustedServer | undefined {
  let map = serverMaps.get(client.servers);
  if (map === undefined) {
    map = new Map();
    for (const s of client.servers) if (!map.has(s.host)) map.set(s.host, s);
    serverMaps.set(client.servers, map);
  }
  return map.get(host);
}

/** Whether the control plane has the client registered to the group. */
export function isRegistered(c: ClientFacts, g: HapgFacts): boolean {
  const arn = c.observed?.arn;
  if (!arn || g.observed === undefined) return false;
  return arnSet(g.observed.registeredClientArns).has(arn) || arnSet(c.observed!.hapgArns).has(g.observed.arn);
}

/**
 * Whether the client's configuration was written with `h` in its HA group `label`. A configuration
 * is written only once every link and assignment it needs is made, so hsmctl had then finished
 * linking the client to that member; a link missing since is drift. A run cut short before that
 * had not finished it, and what it left undone is not drift.
 */
export function configuredWith(c: ClientFacts, label: string, h: HsmFacts): boolean {
  const serial = h.observed?.serial;
  if (serial === undefined) return false;
  const status = c.observed?.haStatus.find((s) => s.hapgLabel === label);
  return status !== undefined && status.members.some((m) => m.hsmSerial === serial);
}

/** The client's registration on an appliance, as long as the HSM is not wiped by this plan. */
export function applianceEntry(h: HsmFacts, clientName: string): RegisteredClient | undefined {
  if (rebuilt(h) || !deviceUsable(h)) return undefined;
  return h.observed === undefined ? undefined : clientsById(h.observed.clients).get(clientName);
}

/** The members of a group that cannot be reached now (by name, or ARN when unmanaged). */
export function unreachableMembers(draft: Draft, g: HapgFacts): string[] {
  return (g.observed?.members ?? []).flatMap((m) => {
    const h = draft.facts.hsmByArn.get(m.hsmArn);
    if (h !== undefined) return deviceUsable(h) ? [] : [h.name];
    const o = draft.facts.observed.hsms.find((x) => x.arn === m.hsmArn);
    return o === undefined || o.reachability === 'reachable' ? [] : [m.hsmArn];
  });
}

/** Groups the client is registered to, no longer wants, and can be deregistered from now. */
export function groupsLeft(draft: Draft, c: ClientFacts): HapgFacts[] {
  // A function of the paired fleets only (not of the actions planned so far): computed once.
  const known = leftGroups.get(c);
  if (known !== undefined && known.draft === draft) return known.groups;
  const wanted = new Set(c.desired?.hapgs ?? []);
  const mine = registeredGroups(draft, c);
  const groups = [...draft.facts.hapgs.values()].filter(
    (g) => !wanted.has(g.label) && mine.has(g) && unreachableMembers(draft, g).length === 0,
  );
  leftGroups.set(c, { draft, groups });
  return groups;
}
const leftGroups = new WeakMap<ClientFacts, { draft: Draft; groups: HapgFacts[] }>();

const NOTHING: ReadonlySet<string> = new Set();

/** Partitions on `h` that the plan's deregistrations of the client revoke. */
export function revokedByDeregistration(draft: Draft, c: ClientFacts, h: HsmFacts): ReadonlySet<string> {
  const arn = h.observed?.arn;
  if (groupsLeft(draft, c).length === 0) return NOTHING;
  return new Set(
    groupsLeft(draft, c).flatMap((g) => g.observed!.members.filter((m) => m.hsmArn === arn).map((m) => m.partitionName)),
  );
}

/**
 * The client's registration on an appliance, unless the plan's deregistrations may delete it:
 * undefined when there is none, or when it might not survive (then it is registered again, which
 * does nothing if it did survive).
 */
export function survivingEntry(draft: Draft, c: ClientFacts, h: HsmFacts): RegisteredClient | undefined {
  const entry = applianceEntry(h, c.name);
  if (entry === undefined || mayLoseRegistration(draft, c, h, entry)) return undefined;
  return entry;
}

/**
 * Whether the plan's deregistrations may delete this registration: they revoke some of its
 * partitions, and none of its partitions is sure to outlive the plan (one of a group the client
 * keeps, on a member that stays, or one hsmctl does not manage). Member removals and revocations
 * may run before or after the deregistration, so only partitions nothing in the plan touches count.
 */
export function mayLoseRegistration(draft: Draft, c: ClientFacts, h: HsmFacts, entry: RegisteredClient): boolean {
  const revoked = revokedByDeregistration(draft, c, h);
  return revoked.size > 0 && !entry.partitions.some((p) => !revoked.has(p) && outlivesPlan(draft, c, h, p));
}

/** Whether the plan's deregistrations delete this registration whatever the order of actions. */
export function surelyLosesRegistration(draft: Draft, c: ClientFacts, h: HsmFacts, entry: RegisteredClient): boolean {
  const revoked = revokedByDeregistration(draft, c, h);
  return revoked.size > 0 && entry.partitions.every((p) => revoked.has(p));
}

function outlivesPlan(draft: Draft, c: ClientFacts, h: HsmFacts, partitionName: string): boolean {
  for (const g of draft.facts.hapgs.values()) {
    const member = draft.memberships.get(g.label)?.find((m) => m.hsm === h && m.observed?.partitionName === partitionName);
    if (member === undefined) continue;
    return member.fate === 'keep' && (c.desired?.hapgs ?? []).includes(g.label);
  }
  return true;
}

/** Per observed fleet: HSMs by ENI address, and the HSMs each client has an appliance entry on. */
interface ApplianceIndex {
  byIp: Map<string, HsmFacts>;
  withEntry: Map<string, HsmFacts[]>;
}
const applianceIndexes = new WeakMap<Draft['facts'], ApplianceIndex>();

function applianceIndex(draft: Draft): ApplianceIndex {
  let index = applianceIndexes.get(draft.facts);
  if (index !== undefined) return index;
  index = { byIp: new Map(), withEntry: new Map() };
  for (const h of draft.facts.hsms.values()) {
    const o = h.observed;
    if (o === undefined) continue;
    if (!index.byIp.has(o.eniIp)) index.byIp.set(o.eniIp, h);
    for (const e of o.clients) {
      const list = index.withEntry.get(e.id);
      if (list === undefined) index.withEntry.set(e.id, [h]);
      else if (list[list.length - 1] !== h) list.push(h);
    }
  }
  applianceIndexes.set(draft.facts, index);
  return index;
}

/** The HSMs (in fleet order) whose appliance lists the client, whatever their state. */
export function hsmsListing(draft: Draft, clientName: string): readonly HsmFacts[] {
  return applianceIndex(draft).withEntry.get(clientName) ?? [];
}

/** The HSM with this ENI address, if the fleet has one. */
export function hsmAt(draft: Draft, host: string): HsmFacts | undefined {
  return applianceIndex(draft).byIp.get(host);
}

/** Per observed fleet: the groups each client is registered to (by client ARN). */
const registrations = new WeakMap<Draft['facts'], Map<string, Set<HapgFacts>>>();

/** The groups the control plane has the client registered to (same answer as `isRegistered`). */
export function registeredGroups(draft: Draft, c: ClientFacts): ReadonlySet<HapgFacts> {
  const arn = c.observed?.arn;
  if (!arn) return new Set();
  let index = registrations.get(draft.facts);
  if (index === undefined) {
    index = new Map();
    const byArn = new Map([...draft.facts.hapgs.values()].flatMap((g) => (g.observed ? [[g.observed.arn, g] as const] : [])));
    const add = (clientArn: string, g: HapgFacts) => {
      const set = index!.get(clientArn);
      if (set === undefined) index!.set(clientArn, new Set([g]));
      else set.add(g);
    };
    for (const g of byArn.values()) for (const clientArn of g.observed!.registeredClientArns) add(clientArn, g);
    for (const other of draft.facts.clients.values()) {
      const o = other.observed;
      if (!o?.arn) continue;
      for (const hapgArn of o.hapgArns) {
        const g = byArn.get(hapgArn);
        if (g !== undefined) add(o.arn, g);
      }
    }
    registrations.set(draft.facts, index);
  }
  return index.get(arn) ?? new Set();
}

/** Per observed fleet: the group each member partition belongs to, by HSM ARN, then partition name. */
const partitionGroups = new WeakMap<Draft['facts'], Map<string, Map<string, HapgFacts>>>();

/** The group (first in fleet order) that lists this HSM's partition as a member. */
export function groupHolding(draft: Draft, hsmArn: string, partitionName: string): HapgFacts | undefined {
  let index = partitionGroups.get(draft.facts);
  if (index === undefined) {
    index = new Map();
    for (const g of draft.facts.hapgs.values()) {
      for (const m of g.observed?.members ?? []) {
        let onHsm = index.get(m.hsmArn);
        if (onHsm === undefined) index.set(m.hsmArn, (onHsm = new Map()));
        if (!onHsm.has(m.partitionName)) onHsm.set(m.partitionName, g);
      }
    }
    partitionGroups.set(draft.facts, index);
  }
  return index.get(hsmArn)?.get(partitionName);
}

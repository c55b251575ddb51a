import { shortId } from '../../fleet/resolve.js';
import { addAction, addDrift, idOf, type Draft, type MemberFate, type Membership } from './draft.js';
import { deviceUsable, rebuilt, type Facts, type HapgFacts, type HsmFacts } from './facts.js';
import { UNKNOWN, orUnknown } from './kinds.js';
import { configuredWith } from './links.js';
import { MIN_ATTEMPTS_LEFT } from './so-login.js';

/**
 * HAPGs and their members: create declared groups, add declared members, remove members that
 * left a group, delete groups that left the configuration. A member whose HSM is wiped by this
 * plan (or whose partition vanished) is removed and added again, since `add-hsm-to-hapg` refuses
 * an HSM the group already lists.
 */
export function planHapgs(draft: Draft): void {
  for (const g of draft.facts.hapgs.values()) {
    const members = memberships(draft, g);
    draft.memberships.set(g.label, members);
    if (g.verdict === 'create') {
      addAction(draft, 'hapg.create', {
        change: 'create',
        reason: `hapg ${g.label} is declared but does not exist`,
        before: null,
        after: { label: g.label, arn: UNKNOWN, serial: UNKNOWN },
        params: { hapgLabel: g.label },
      });
    }
    // New members join one after another, in declared order (as in the seed): the first member,
    // and so the group's virtual token serial, is then the same on every run, however long each
    // call takes. A member waits only for one whose HSM this plan does not zeroize (a new or a
    // kept one): waiting for a zeroize could close a cycle through another group's members.
    let previous: string | undefined;
    for (const m of members) {
      planMember(draft, g, m, members, previous);
      if (m.fate === 'add' && m.hsm !== undefined && (m.hsm.verdict === 'create' || !rebuilt(m.hsm))) previous = m.hsm.name;
    }
    if (g.verdict === 'leave') planDelete(draft, g, members);
  }
}

/** The partition name `add-hsm-to-hapg` gives a member: `<hapg-id>_<hsm-serial>`, when both exist. */
export function partitionNameOf(g: HapgFacts, h: HsmFacts | undefined): string | undefined {
  if (g.observed === undefined || h?.observed === undefined) return undefined;
  return `${shortId(g.observed.arn)}_${h.observed.serial}`;
}

function memberships(draft: Draft, g: HapgFacts): Membership[] {
  const { members, warnings } = membershipsOf(draft.facts, g);
  draft.warnings.push(...warnings);
  // A managed member that cannot be reached and must join (blocked) or leave (stray) waits for it;
  // nothing waits in a group that goes (delete-hapg takes its members with it).
  for (const m of g.verdict === 'leave' ? [] : members) {
    if (m.hsm !== undefined && !deviceUsable(m.hsm) && (m.fate === 'blocked' || m.fate === 'stray')) {
      draft.deferred.add(`hapg.${g.label}.member.${m.hsm.name}`);
    }
  }
  return members;
}

/** A group's members, observed and declared, with what the plan does with each; and what to warn of. */
export function membershipsOf(facts: Facts, g: HapgFacts): { members: Membership[]; warnings: string[] } {
  const declared = g.desired?.members ?? [];
  const result: Membership[] = [];
  const warnings: string[] = [];
  for (const m of g.observed?.members ?? []) {
    const h = facts.hsmByArn.get(m.hsmArn);
    let fate: MemberFate;
    if (h === undefined || !deviceUsable(h)) fate = h !== undefined && declared.includes(h.name) ? 'keep' : 'stray';
    else if (!declared.includes(h.name)) fate = 'remove';
    else if (rebuilt(h) || !h.observed!.partitions.some((p) => p.name === m.partitionName)) fate = 'readd';
    else fate = 'keep';
    if (h === undefined) {
      warnings.push(`hapg ${g.label} has member ${m.hsmArn}, which hsmctl does not manage; it is left as it is`);
    }
    result.push({ hsm: h, observed: m, fate });
  }
  for (const name of declared) {
    if (result.some((r) => r.hsm?.name === name)) continue;
    const h = facts.hsms.get(name);
    if (h === undefined) continue;
    result.push({ hsm: h, observed: undefined, fate: deviceUsable(h) ? 'add' : 'blocked' });
    if (!deviceUsable(h)) warnings.push(`hsm ${name} cannot join hapg ${g.label} while it is unreachable`);
  }
  return { members: result, warnings };
}

function objectsOf(m: Membership): number {
  const o = m.hsm?.observed;
  if (o === undefined || m.observed === undefined) return 0;
  return o.partitions.find((p) => p.name === m.observed!.partitionName)?.objectCount ?? 0;
}

/**
 * How many key objects the group holds: each once, however many members mirror it (the union of
 * the handles the devices list; without handles, at least what the fullest member holds).
 */
function groupObjects(members: readonly Membership[]): number {
  const handles = new Set<number>();
  let fullest = 0;
  for (const m of members) {
    for (const handle of handlesOf(m) ?? []) handles.add(handle);
    fullest = Math.max(fullest, objectsOf(m));
  }
  return Math.max(handles.size, fullest);
}

/** Handles of the objects in the member's partition, when the device lists them. */
function handlesOf(m: Membership): number[] | undefined {
  const o = m.hsm?.observed;
  if (o === undefined || m.observed === undefined) return undefined;
  return o.partitions.find((p) => p.name === m.observed!.partitionName)?.objectHandles;
}

/** The members other than `m` that stay in the group. */
export function stayingBeside(m: Membership, all: readonly Membership[]): Membership[] {
  return all.filter((x) => x !== m && (x.fate === 'keep' || x.fate === 'stray'));
}

/**
 * How many of the objects of a member that goes no staying member holds (members diverge while one
 * is out of rotation and nothing resynchronises it); undefined when its device lists no handles.
 */
export function lackingOf(m: Membership, all: readonly Membership[]): number | undefined {
  const mine = handlesOf(m);
  if (mine === undefined) return undefined;
  const elsewhere = new Set(stayingBeside(m, all).flatMap((x) => handlesOf(x) ?? []));
  return mine.filter((handle) => !elsewhere.has(handle)).length;
}

/** Members this plan adds (or adds again) to the group: they clone its objects before any member leaves. */
export function clonersOf(all: readonly Membership[]): Membership[] {
  return all.filter((x) => (x.fate === 'add' || x.fate === 'readd') && x.hsm!.verdict !== 'replace');
}

/**
 * Whether the objects of a member that goes survive on the members that stay, given how many of
 * them the staying members lack (`lackingOf`). Without handles, any staying member counts as a mirror.
 */
function heldElsewhere(m: Membership, all: Membership[], lacking: number | undefined): boolean {
  return lacking === undefined ? stayingBeside(m, all).length > 0 : lacking === 0;
}

function planMember(draft: Draft, g: HapgFacts, m: Membership, all: Membership[], previousAdded: string | undefined): void {
  const h = m.hsm;
  if (h === undefined) return;
  let drift: string | undefined;
  if (m.fate === 'remove' || m.fate === 'readd') {
    const o = m.observed!;
    const objects = objectsOf(m);
    // The objects survive while the members that stay hold them all, or (for a member that
    // leaves) while a member added by this plan clones them first.
    const lacking = lackingOf(m, all);
    const holdersStay = heldElsewhere(m, all, lacking);
    const cloneFirst = m.fate === 'remove' ? clonersOf(all) : [];
    const partitionGone = m.fate === 'readd' && !rebuilt(h);
    const reason =
      m.fate === 'remove'
        ? g.verdict === 'leave'
          ? `hapg ${g.label} is no longer in the configuration`
          : `hsm ${h.name} is no longer a member of hapg ${g.label} in the configuration`
        : partitionGone
          ? `drift: partition ${o.partitionName} of hapg ${g.label} is missing on hsm ${h.name}; the member is removed and added again`
          : `hsm ${h.name} is re-initialized by this plan; its partition of hapg ${g.label} is removed and added again`;
    const destructive = objects > 0 && !holdersStay && cloneFirst.length === 0;
    const id = addAction(draft, 'hapg.removeMember', {
      change: 'delete',
      destructive,
      reason,
      before: { hsm: h.name, partition: o.partitionName, partitionSerial: o.partitionSerial, keyObjects: objects },
      after: null,
      params: { hapgLabel: g.label, hapgArn: g.observed!.arn, hsmName: h.name, hsmArn: o.hsmArn, partitionName: o.partitionName },
    });
    if (destructive && lacking !== undefined && lacking < objects) draft.onlyCopies.set(id, lacking);
    if (cloneFirst.length > 0) {
      draft.extraDeps.set(id, cloneFirst.map((x) => ({ kind: 'hapg.addMember', names: { g: g.label, h: x.hsm!.name } })));
    }
    if (partitionGone) {
      drift = `partition ${o.partitionName} of hapg ${g.label} was deleted from hsm ${h.name} out of band`;
    }
  }
  if (m.fate === 'add' && g.observed !== undefined && wasMember(draft, g, h)) {
    drift = `hsm ${h.name} was removed from hapg ${g.label} out of band, with its partition and the key objects in it`;
  }
  if (m.fate === 'add' || m.fate === 'readd') {
    const left = h.observed?.soLoginAttemptsLeft;
    if (left !== undefined && left < MIN_ATTEMPTS_LEFT && !rebuilt(h)) {
      draft.warnings.push(
        `hsm ${h.name} has only ${left} SO login attempt${left === 1 ? '' : 's'} left: apply will not log in to add it to hapg ${g.label} ` +
          `(one more wrong password would zeroize it). Check its configured SO password, and log in once by hand with the right one to reset the counter`,
      );
    }
    const id = addAction(draft, 'hapg.addMember', {
      change: 'create',
      reason:
        m.fate === 'add'
          ? drift !== undefined
            ? `drift: ${drift}`
            : `hsm ${h.name} is declared as a member of hapg ${g.label}`
          : `hsm ${h.name} must hold hapg ${g.label}'s partition again`,
      before: null,
      after: { hsm: h.name, partition: orUnknown(partitionNameOf(g, h)), partitionSerial: UNKNOWN },
      params: {
        hapgLabel: g.label,
        ...(g.observed ? { hapgArn: g.observed.arn } : {}),
        hsmName: h.name,
        ...(h.observed ? { hsmArn: h.observed.arn } : {}),
      },
    });
    if (m.fate === 'add' && previousAdded !== undefined) draft.extraDeps.set(id, [{ kind: 'hapg.addMember', names: { g: g.label, h: previousAdded } }]);
  }
  if (drift !== undefined) {
    const ids = [idOf('hapg.removeMember', { g: g.label, h: h.name }), idOf('hapg.addMember', { g: g.label, h: h.name })];
    addDrift(draft, `hapg.${g.label}.member.${h.name}`, drift, ids);
  }
}

/**
 * Whether a member missing from the group was in it: a client's configuration was written with it
 * in the group (its library lists it), and its HSM was not wiped since. hsmctl writes a client's
 * configuration only once every member of its groups has joined, and rewrites it after removing one.
 */
function wasMember(draft: Draft, g: HapgFacts, h: HsmFacts): boolean {
  if (h.observed === undefined || rebuilt(h)) return false;
  for (const c of draft.facts.clients.values()) if (configuredWith(c, g.label, h)) return true;
  return false;
}

function planDelete(draft: Draft, g: HapgFacts, members: Membership[]): void {
  const o = g.observed!;
  const objects = groupObjects(members);
  const unseen = members.filter((m) => m.hsm !== undefined && !deviceUsable(m.hsm)).map((m) => m.hsm!.name);
  addAction(draft, 'hapg.delete', {
    change: 'delete',
    destructive: objects > 0 || unseen.length > 0,
    reason: `hapg ${g.label} is no longer in the configuration`,
    before: { arn: o.arn, label: o.label, members: members.map((m) => m.hsm?.name ?? m.observed!.hsmArn), keyObjects: objects },
    after: null,
    params: { hapgLabel: g.label, hapgArn: o.arn },
  });
}

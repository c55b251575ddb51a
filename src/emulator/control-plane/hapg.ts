import type { AddHsmToHapgInput } from '../../fleet/driver.js';
import type { HapgState, KeyObject, Tags } from '../../fleet/types.js';
import { addPartition, removePartition } from '../appliance/partitions.js';
import { soLogin } from '../appliance/login.js';
import { invalidRequest } from '../errors.js';
import { arnOf, drawHex, drawUnique } from '../world/ids.js';
import { requireHapg, requireHsm } from '../world/lookup.js';
import { hashSecret, verifySecret } from '../world/secrets.js';
import { answers, requireAnswering } from '../world/status.js';
import type { HapgDoc, PartitionDoc } from '../world/types.js';
import type { Ctx, World } from '../world/world.js';
import { checkTags } from './tags.js';

/** CloudHSM Classic HA partition groups: create, delete, add and remove members. */

/** At most this many members per HAPG. */
export const MAX_MEMBERS = 16;

const LABEL = /^[A-Za-z0-9_.-]{1,64}$/;

/** Virtual-token serial: `1` followed by the first member's partition serial; empty without members. */
export function hapgSerial(hapg: HapgDoc): string {
  const first = hapg.members[0];
  return first === undefined ? '' : `1${first.partitionSerial}`;
}

/** The member partition of `hsmId`, if the HSM and the partition still exist. */
export function memberPartition(world: World, hsmId: string, partitionName: string): PartitionDoc | undefined {
  return world.hsms[hsmId]?.partitions.find((p) => p.name === partitionName);
}

/** READY when every member answers and holds its partition, else DEGRADED. */
export function hapgState(world: World, hapg: HapgDoc, now: number): HapgState {
  const healthy = hapg.members.every((m) => {
    const hsm = world.hsms[m.hsmId];
    return hsm !== undefined && answers(hsm, world.meta, now) && memberPartition(world, m.hsmId, m.partitionName) !== undefined;
  });
  return healthy ? 'READY' : 'DEGRADED';
}

/** `create-hapg --group-label`. */
export function createHapg(ctx: Ctx, input: { label: string; tags?: Tags }): { hapgArn: string } {
  const { world } = ctx;
  if (!LABEL.test(input.label)) throw invalidRequest(`Invalid label "${input.label}": 1 to 64 letters, digits, "_", "." or "-".`);
  const tags = input.tags ?? {};
  checkTags(tags);
  const id = drawUnique(() => `hapg-${drawHex(world.meta, 8)}`, (v) => world.hapgs[v] !== undefined);
  const hapg: HapgDoc = { id, arn: arnOf(world.meta, id), label: input.label, createdAt: ctx.now, seq: ++world.meta.created, tags: { ...tags }, members: [], registeredClientArns: [], nextHandle: 1 };
  world.hapgs[id] = hapg;
  return { hapgArn: hapg.arn };
}

/** `delete-hapg`: the group goes, its partitions and key objects stay on the members. */
export function deleteHapg(ctx: Ctx, hapgArn: string): void {
  const hapg = requireHapg(ctx.world, hapgArn);
  for (const client of Object.values(ctx.world.clients)) client.hapgArns = client.hapgArns.filter((a) => a !== hapg.arn);
  delete ctx.world.hapgs[hapg.id];
}

/** The objects the group's answering members hold, one copy per handle, in handle order. */
export function groupObjects(ctx: Ctx, hapg: HapgDoc): KeyObject[] {
  const byHandle = new Map<number, KeyObject>();
  for (const m of hapg.members) {
    const hsm = ctx.world.hsms[m.hsmId];
    if (hsm === undefined || !answers(hsm, ctx.world.meta, ctx.now)) continue;
    for (const object of memberPartition(ctx.world, m.hsmId, m.partitionName)?.objects ?? []) {
      if (!byHandle.has(object.handle)) byHandle.set(object.handle, object);
    }
  }
  return [...byHandle.values()].sort((a, b) => a.handle - b.handle);
}

/** Copies into `partition` every object of `objects` it lacks (by handle), keeping handle order. */
export function copyMissing(partition: PartitionDoc, objects: KeyObject[]): void {
  const held = new Set(partition.objects.map((o) => o.handle));
  const missing = objects.filter((o) => !held.has(o.handle)).map((o) => ({ ...o }));
  if (missing.length === 0) return;
  partition.objects = [...partition.objects, ...missing].sort((a, b) => a.handle - b.handle);
}

/**
 * `add-hsm-to-hapg`: creates `<hapg-id>_<hsm-serial>` on the HSM (SO login inside) unless a
 * partition of that label exists, clones the group's objects onto it, records the member. A
 * member that lost its partition (zeroized, re-initialized) can be added again in place.
 */
export function addHsmToHapg(ctx: Ctx, input: AddHsmToHapgInput): { partitionName: string; partitionSerial: string } {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  const hapg = requireHapg(ctx.world, input.hapgArn);
  if (hsm.zeroized) throw invalidRequest(`The HSM ${hsm.arn} is zeroized. Initialize it before adding it to a HA partition group.`);
  // A member whose partition was lost (its HSM was zeroized) may be added again.
  const recorded = hapg.members.find((m) => m.hsmId === hsm.id);
  if (recorded !== undefined && memberPartition(ctx.world, hsm.id, recorded.partitionName) !== undefined) {
    throw invalidRequest(`The HSM ${hsm.arn} is already a member of the HA partition group ${hapg.arn}.`);
  }
  if (recorded === undefined && hapg.members.length >= MAX_MEMBERS) throw invalidRequest(`The HA partition group ${hapg.arn} already has ${MAX_MEMBERS} members, the maximum.`);
  requireAnswering(ctx, hsm);
  if (hsm.cloningDomainHash === null || !verifySecret(input.cloningDomain, hsm.cloningDomainHash)) {
    throw invalidRequest(`The cloning domain does not match the cloning domain of the HSM ${hsm.arn}.`);
  }
  const peer = hapg.members.map((m) => memberPartition(ctx.world, m.hsmId, m.partitionName)).find((p) => p !== undefined);
  if (peer !== undefined && !verifySecret(input.cloningDomain, peer.cloningDomainHash)) {
    throw invalidRequest(`The HSM ${hsm.arn} is in another cloning domain than the members of the HA partition group ${hapg.arn}.`);
  }
  if (peer !== undefined && !verifySecret(input.partitionPassword, peer.passwordHash)) {
    throw invalidRequest(`The partition password differs from the one of the HA partition group ${hapg.arn}.`);
  }
  const partitionName = `${hapg.id}_${hsm.serial}`;
  let partition = hsm.partitions.find((p) => p.name === partitionName);
  if (partition === undefined) {
    soLogin(ctx, hsm, input.soPassword);
    partition = addPartition(hsm, partitionName, hashSecret(input.partitionPassword), hashSecret(input.cloningDomain));
  }
  copyMissing(partition, groupObjects(ctx, hapg));
  const record = { hsmId: hsm.id, hsmSerial: hsm.serial, partitionName, partitionSerial: partition.serial };
  if (recorded === undefined) hapg.members.push(record);
  else Object.assign(recorded, record);
  return { partitionName, partitionSerial: partition.serial };
}

/** `remove-hsm-from-hapg`: the member's partition and its objects are deleted irrevocably. */
export function removeHsmFromHapg(ctx: Ctx, input: { hsmArn: string; hapgArn: string }): void {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  const hapg = requireHapg(ctx.world, input.hapgArn);
  const member = hapg.members.find((m) => m.hsmId === hsm.id);
  if (member === undefined) throw invalidRequest(`The HSM ${hsm.arn} is not a member of the HA partition group ${hapg.arn}.`);
  requireAnswering(ctx, hsm);
  removePartition(hsm, member.partitionName);
  hapg.members = hapg.members.filter((m) => m !== member);
}

import type { KeyObject } from '../../fleet/types.js';
import { copyMissing } from '../control-plane/hapg.js';
import type { ClientDoc, HaGroupDoc, PartitionDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { usablePartition } from './reach.js';

/**
 * HA synchronisation (`HASynchronize`, and what recovery does): every live member of the group
 * ends up holding the union of the objects the live members hold, so a member that missed writes
 * while it was away gets them, and one that holds objects the others lack shares them.
 */

/** The partitions of the members that are alive and usable for this client. */
export function livePartitions(ctx: Ctx, client: ClientDoc, group: HaGroupDoc): { serial: string; partition: PartitionDoc }[] {
  const live: { serial: string; partition: PartitionDoc }[] = [];
  for (const member of group.members) {
    if (member.state !== 'alive') continue;
    const partition = usablePartition(ctx, client, member);
    if (partition !== undefined) live.push({ serial: member.hsmSerial, partition });
  }
  return live;
}

/** Brings every live member of `group` to the union of their objects. */
export function synchronizeGroup(ctx: Ctx, client: ClientDoc, group: HaGroupDoc): void {
  const live = livePartitions(ctx, client, group);
  const union = new Map<number, KeyObject>();
  for (const { partition } of live) {
    for (const object of partition.objects) if (!union.has(object.handle)) union.set(object.handle, object);
  }
  const objects = [...union.values()];
  for (const { partition } of live) copyMissing(partition, objects);
}

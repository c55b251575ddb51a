import { hapgSerial } from '../control-plane/hapg.js';
import type { ClientDoc, HapgDoc, HaGroupDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { isUsable } from './reach.js';
import { schedule } from './recovery.js';
import { synchronizeGroup } from './sync.js';

/**
 * The client library starting on a new configuration: one HA group per HAPG, with the HAPG's
 * members as they are now. A member the client can use is connected (alive); one it cannot is
 * not connected at startup and so never recovered automatically. `HASynchronize` is on for every
 * group, so the groups are synchronised at startup.
 */
export function startGroups(ctx: Ctx, client: ClientDoc, hapgs: HapgDoc[]): void {
  client.groups = hapgs.map(
    (hapg): HaGroupDoc => ({
      hapgArn: hapg.arn,
      label: hapg.label,
      serial: hapgSerial(hapg),
      members: hapg.members.map((m) => ({
        hsmId: m.hsmId,
        hsmSerial: m.hsmSerial,
        partitionName: m.partitionName,
        partitionSerial: m.partitionSerial,
        state: 'alive',
        attempts: 0,
        connectedAtStartup: true,
        downSince: null,
        nextAttemptAt: null,
      })),
    }),
  );
  for (const group of client.groups) {
    for (const member of group.members) {
      if (isUsable(ctx, client, member)) continue;
      member.connectedAtStartup = false;
      member.downSince = ctx.now;
      schedule(client, group, member, ctx.now);
    }
    synchronizeGroup(ctx, client, group);
  }
}

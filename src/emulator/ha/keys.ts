import { createHash, randomBytes } from 'node:crypto';
import { DeviceError } from '../../errors.js';
import type { KeyObject } from '../../fleet/types.js';
import { groupObjects } from '../control-plane/hapg.js';
import { notFound, vtlError } from '../errors.js';
import { iso } from '../world/ids.js';
import { findHapg, findHsm, requireClient } from '../world/lookup.js';
import { requireAnswering } from '../world/status.js';
import type { Ctx } from '../world/world.js';
import { livePartitions } from './sync.js';

/**
 * The data plane: key objects created through a HAPG's virtual token. The request goes to one
 * live member (round robin by handle) and is mirrored to every live member; members out of
 * rotation miss it and get it when they are resynchronised. Key material never exists: each
 * object carries the SHA-256 of random bytes standing in for it.
 */

/** Creates an AES-256 key object through the client's HA group `hapgLabel`. */
export function createKey(ctx: Ctx, input: { clientName: string; hapgLabel: string; label: string }): { object: KeyObject; servedBy: string } {
  const client = requireClient(ctx.world, input.clientName);
  const group = client.groups.find((g) => g.label === input.hapgLabel || g.hapgArn === input.hapgLabel);
  if (group === undefined) {
    throw vtlError(`No HA group "${input.hapgLabel}" is configured on client ${client.name} (run get-client-configuration).`);
  }
  const hapg = Object.values(ctx.world.hapgs).find((h) => h.arn === group.hapgArn);
  const live = livePartitions(ctx, client, group);
  if (hapg === undefined || live.length === 0) {
    throw new DeviceError('LUNA_RET_DEVICE_ERROR', `CKR_DEVICE_ERROR: no member of HA group ${group.label} is available`, { retryable: true });
  }
  if (input.label.length === 0 || input.label.length > 64) throw vtlError('The key label must have 1 to 64 characters.');
  const handle = hapg.nextHandle;
  hapg.nextHandle += 1;
  const object: KeyObject = {
    handle,
    label: input.label,
    keyType: 'AES',
    bits: 256,
    fingerprint: createHash('sha256').update(randomBytes(32)).digest('hex'),
    createdAt: iso(ctx.now),
  };
  for (const { partition } of live) partition.objects.push({ ...object });
  const served = live[(handle - 1) % live.length];
  return { object, servedBy: served?.serial ?? '' };
}

/**
 * Objects held by an HSM (all its partitions; its appliance must answer) or by a HAPG (one copy
 * of each object its answering members hold).
 */
export function listKeys(ctx: Ctx, ref: string): KeyObject[] {
  const hapg = findHapg(ctx.world, ref);
  const hsm = findHsm(ctx.world, ref);
  if (hsm !== undefined && (hapg === undefined || hsm.arn === ref || hsm.id === ref || hsm.serial === ref)) {
    requireAnswering(ctx, hsm);
    return hsm.partitions.flatMap((p) => p.objects.map((o) => ({ ...o })));
  }
  if (hapg !== undefined) return groupObjects(ctx, hapg).map((o) => ({ ...o }));
  throw notFound('HSM or HA partition group', ref);
}

import { lunaError } from '../errors.js';
import { requireHsm } from '../world/lookup.js';
import { hashSecret } from '../world/secrets.js';
import type { HsmDoc, PartitionDoc, SecretHash } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { soLogin } from './login.js';

/** Partitions on an appliance (`partition create|delete`), each after an SO login. */

const PARTITION_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Throws unless `name` is a valid partition label. */
export function checkPartitionName(name: string): void {
  if (!PARTITION_NAME.test(name)) {
    throw lunaError('RC_INVALID_PARAMETER', `invalid partition name "${name}": 1 to 64 letters, digits, "_", "." or "-"`);
  }
}

/** Adds a partition with the next serial (HSM serial + three digits). */
export function addPartition(hsm: HsmDoc, name: string, passwordHash: SecretHash, cloningDomainHash: SecretHash): PartitionDoc {
  const taken = new Set(hsm.partitions.map((p) => p.serial));
  let serial: string;
  do {
    hsm.partitionCounter = (hsm.partitionCounter % 999) + 1;
    serial = `${hsm.serial}${String(hsm.partitionCounter).padStart(3, '0')}`;
  } while (taken.has(serial));
  const partition: PartitionDoc = { name, serial, passwordHash, cloningDomainHash, objects: [] };
  hsm.partitions.push(partition);
  return partition;
}

/** Removes a partition, its objects and every client assignment of it. */
export function removePartition(hsm: HsmDoc, name: string): void {
  hsm.partitions = hsm.partitions.filter((p) => p.name !== name);
  for (const client of hsm.clients) client.partitions = client.partitions.filter((p) => p !== name);
}

/** `partition create -partition NAME -password P -domain D` after `hsm login`. */
export function createPartition(
  ctx: Ctx,
  input: { hsmArn: string; partitionName: string; partitionPassword: string; cloningDomain: string; soPassword: string },
): { partitionSerial: string } {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  checkPartitionName(input.partitionName);
  soLogin(ctx, hsm, input.soPassword);
  if (hsm.partitions.some((p) => p.name === input.partitionName)) {
    throw lunaError('RC_OBJECT_ALREADY_EXISTS', `a partition named ${input.partitionName} already exists`);
  }
  const partition = addPartition(hsm, input.partitionName, hashSecret(input.partitionPassword), hashSecret(input.cloningDomain));
  return { partitionSerial: partition.serial };
}

/** `partition delete -partition NAME` after `hsm login`: its objects are lost. */
export function deletePartition(ctx: Ctx, input: { hsmArn: string; partitionName: string; soPassword: string }): void {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  soLogin(ctx, hsm, input.soPassword);
  if (!hsm.partitions.some((p) => p.name === input.partitionName)) {
    throw lunaError('RC_OBJECT_NOT_IN_LIST', `no partition named ${input.partitionName}`);
  }
  removePartition(hsm, input.partitionName);
}

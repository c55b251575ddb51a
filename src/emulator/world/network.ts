import { createHash } from 'node:crypto';
import { invalidRequest } from '../errors.js';
import type { SubnetDoc, WorldMeta } from './types.js';
import type { World } from './world.js';

/**
 * The VPC the HSMs' ENIs live in: one `10.0.N.0/24` subnet per subnet id. `create-hsm` without a
 * subnet gets the availability zone's default subnet (`us-east-1a` → `10.0.1.0/24`, `…b` →
 * `10.0.2.0/24`, …); a subnet id seen for the first time gets the next free `10.0.N.0/24` from
 * 11 up. A subnet stays in its availability zone.
 */

/** The subnet id and document `create-hsm` places an HSM in (registering it in `meta`). */
export function subnetFor(meta: WorldMeta, availabilityZone: string, subnetId: string | undefined): { subnetId: string; subnet: SubnetDoc } {
  const zone = new RegExp(`^${meta.region}([a-z])$`).exec(availabilityZone);
  if (zone === null) {
    throw invalidRequest(`Invalid availability zone "${availabilityZone}": expected one of region ${meta.region} (e.g. ${meta.region}a).`);
  }
  const letter = zone[1] ?? 'a';
  const id = subnetId ?? `subnet-${createHash('sha256').update(`${meta.seed}:${availabilityZone}`).digest('hex').slice(0, 8)}`;
  if (!/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
    throw invalidRequest(`Invalid subnet id "${id}": expected subnet- followed by 8 or 17 hex digits.`);
  }
  const known = meta.subnets[id];
  if (known !== undefined) {
    if (known.availabilityZone !== availabilityZone) {
      throw invalidRequest(`Subnet ${id} is in availability zone ${known.availabilityZone}, not ${availabilityZone}.`);
    }
    return { subnetId: id, subnet: known };
  }
  const used = new Set(Object.values(meta.subnets).map((s) => s.cidr));
  let octet = subnetId === undefined ? letter.charCodeAt(0) - 96 : 11;
  while (used.has(`10.0.${octet}.0/24`)) octet += 1;
  const subnet: SubnetDoc = { availabilityZone, cidr: `10.0.${octet}.0/24` };
  meta.subnets[id] = subnet;
  return { subnetId: id, subnet };
}

/** The lowest free ENI IP of a subnet (from `.10`; AWS reserves the first addresses). */
export function freeIp(world: World, subnet: SubnetDoc): string {
  const prefix = subnet.cidr.replace(/\.0\/24$/, '.');
  const used = new Set(Object.values(world.hsms).map((h) => h.eniIp));
  for (let host = 10; host < 255; host += 1) {
    if (!used.has(`${prefix}${host}`)) return `${prefix}${host}`;
  }
  throw invalidRequest(`Subnet ${subnet.cidr} has no free IP address left.`);
}

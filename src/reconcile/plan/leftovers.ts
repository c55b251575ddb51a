import type { Facts } from './facts.js';

/**
 * What a declared HSM holds that nothing hsmctl sees accounts for: a partition that is no HAPG's
 * member partition, a registration of a client that the configuration does not declare. Both
 * are left behind when the HSM cannot be reached while its group or client is deleted:
 * delete-hapg and the control plane forget them, the device keeps them, and a client still
 * registered there can reach what its partition holds. (A client registered on the HSM by hand
 * is named too.) Whose they were is no longer known, so hsmctl does not remove them; it says so,
 * with the appliance commands that would.
 */
export function leftoverWarnings(facts: Facts): string[] {
  const memberPartitions = new Set<string>();
  for (const g of facts.observed.hapgs) for (const m of g.members) memberPartitions.add(`${m.hsmArn}\0${m.partitionName}`);
  const warnings: string[] = [];
  for (const h of facts.hsms.values()) {
    // Only a device kept as it is: one to be zeroized or initialized holds nothing afterwards.
    if (h.verdict !== 'steady' || h.observed === undefined) continue;
    const o = h.observed;
    for (const p of o.partitions) {
      if (memberPartitions.has(`${o.arn}\0${p.name}`)) continue;
      warnings.push(
        `hsm ${h.name} holds partition ${p.name} (${p.objectCount} key objects), which belongs to no hapg; ` +
          `hsmctl leaves it: delete it on the appliance if nothing needs it (lunash, logged in as SO: partition delete -partition ${p.name} -force)`,
      );
    }
    for (const c of o.clients) {
      if (facts.clients.has(c.id)) continue;
      warnings.push(
        `hsm ${h.name} registers client ${c.id}, which the configuration does not declare` +
          (c.partitions.length > 0 ? ` (assigned ${c.partitions.join(', ')})` : '') +
          `; hsmctl leaves it: delete it on the appliance if it is not wanted (lunash: client delete -client ${c.id} -force)`,
      );
    }
  }
  return warnings;
}

import type { DesiredFleet } from '../config/types.js';
import type { Hapg, Hsm, ObservedFleet } from '../fleet/types.js';
import { isManaged, NAME_TAG } from '../fleet/tags.js';
import { shortId } from '../fleet/resolve.js';

/**
 * How status names observed resources, and which observed resource a declared one is: the
 * planner's rule (a managed resource whose `hsmctl:name` tag is the declared name), so that status
 * and plan never disagree about what exists.
 */

/** Name in configuration (managed), else device label, else short id. */
export function hsmName(h: Hsm): string {
  const tagged = isManaged(h.tags) ? h.tags[NAME_TAG] : undefined;
  return tagged ?? h.label ?? shortId(h.arn);
}

/** Label in configuration (managed), else the group's label. */
export function hapgName(g: Hapg): string {
  const tagged = isManaged(g.tags) ? g.tags[NAME_TAG] : undefined;
  return tagged ?? g.label;
}

/** The observed resource that stands for a declared name, if any (lowest ARN on a tie). */
function claimed<T extends { arn: string; tags: Record<string, string> }>(items: readonly T[], name: string): T | undefined {
  return items
    .filter((x) => isManaged(x.tags) && x.tags[NAME_TAG] === name)
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))[0];
}

/** Declared and observed HSMs and HAPGs paired up, plus lookups by ARN and serial. */
export interface Pairing {
  /** Declared HSM name → observed HSM. */
  hsmOf: Map<string, Hsm>;
  /** Declared HAPG label → observed HAPG. */
  hapgOf: Map<string, Hapg>;
  /** Row name of every observed HSM, by ARN. */
  hsmNameByArn: Map<string, string>;
  /** Row name of every observed HSM, by serial. */
  hsmNameBySerial: Map<string, string>;
  /** Row name of every observed HAPG, by ARN. */
  hapgNameByArn: Map<string, string>;
}

function live(h: Hsm): boolean {
  return h.status !== 'TERMINATED' && h.status !== 'TERMINATING';
}

/** Pairs declared resources with the world and names every observed one. */
export function pair(observed: ObservedFleet, desired: DesiredFleet | undefined): Pairing {
  const p: Pairing = { hsmOf: new Map(), hapgOf: new Map(), hsmNameByArn: new Map(), hsmNameBySerial: new Map(), hapgNameByArn: new Map() };
  for (const d of desired?.hsms ?? []) {
    const h = claimed(observed.hsms.filter(live), d.name);
    if (h !== undefined) p.hsmOf.set(d.name, h);
  }
  for (const d of desired?.hapgs ?? []) {
    const g = claimed(observed.hapgs, d.label);
    if (g !== undefined) p.hapgOf.set(d.label, g);
  }
  const declaredHsm = new Map([...p.hsmOf].map(([name, h]) => [h.arn, name]));
  for (const h of observed.hsms) {
    const name = declaredHsm.get(h.arn) ?? hsmName(h);
    p.hsmNameByArn.set(h.arn, name);
    if (!p.hsmNameBySerial.has(h.serial) || declaredHsm.has(h.arn)) p.hsmNameBySerial.set(h.serial, name);
  }
  const declaredHapg = new Map([...p.hapgOf].map(([label, g]) => [g.arn, label]));
  for (const g of observed.hapgs) p.hapgNameByArn.set(g.arn, declaredHapg.get(g.arn) ?? hapgName(g));
  return p;
}

/** Text order for stable output (not locale-dependent). */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import type { DesiredFleet } from '../config/types.js';
import type { FleetDriver } from '../fleet/driver.js';
import { NAME_TAG } from '../fleet/tags.js';
import type { Hsm, ObservedFleet } from '../fleet/types.js';
import { managedHsm } from './actions/resolve.js';

/**
 * The first step of every pass (SPEC §4): read the world through the driver. Secrets cannot be
 * read from a device, so the one secret-dependent fact the planner needs (is each declared,
 * initialized HSM in the configured cloning domain?) is asked of the device here, and handed to
 * the planner as a list of names, never as values.
 */

/** The world as observed, with what the planner needs to know about cloning domains. */
export interface Observation {
  observed: ObservedFleet;
  /** Names of declared HSMs whose device holds another cloning domain than the configured one. */
  cloningDomainMismatch: string[];
}

export async function observe(driver: FleetDriver, desired: DesiredFleet): Promise<Observation> {
  const observed = await driver.describe();
  // Asked all at once: a driver may answer questions asked together in one go (the emulator reads its world once for all of them).
  const named = byNameTag(observed);
  const checks = desired.hsms.flatMap((d) => {
    const hsm = managedHsm({ ...observed, hsms: named.get(d.name) ?? [] }, d.name);
    if (hsm === undefined || hsm.zeroized) return [];
    return [{ name: d.name, same: driver.verifyCloningDomain(hsm.arn, d.cloningDomain.reveal()) }];
  });
  const answers = await Promise.all(checks.map((c) => c.same));
  const cloningDomainMismatch = checks.filter((_, i) => !answers[i]).map((c) => c.name);
  return { observed, cloningDomainMismatch: cloningDomainMismatch.sort() };
}

/** HSMs by their `hsmctl:name` tag: `managedHsm` then only looks among those that can match. */
function byNameTag(observed: ObservedFleet): Map<string, Hsm[]> {
  const named = new Map<string, Hsm[]>();
  for (const h of observed.hsms) {
    const name = h.tags[NAME_TAG];
    if (name === undefined) continue;
    const list = named.get(name);
    if (list === undefined) named.set(name, [h]);
    else list.push(h);
  }
  return named;
}

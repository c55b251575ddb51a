import type { DesiredFleet } from '../config/types.js';
import type { FleetDriver } from '../fleet/driver.js';
import type { ObservedFleet } from '../fleet/types.js';
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
  const cloningDomainMismatch: string[] = [];
  for (const d of desired.hsms) {
    const hsm = managedHsm(observed, d.name);
    if (hsm === undefined || hsm.zeroized) continue;
    if (!(await driver.verifyCloningDomain(hsm.arn, d.cloningDomain.reveal()))) cloningDomainMismatch.push(d.name);
  }
  return { observed, cloningDomainMismatch: cloningDomainMismatch.sort() };
}

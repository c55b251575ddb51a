import { requireHsm } from './world/lookup.js';
import type { Ctx } from './world/world.js';

/**
 * Faults of an appliance: power loss and network loss. A failed HSM still exists for the control
 * plane (listed, DEGRADED) but its appliance answers nothing, and every client drops it from its
 * HA groups at once (the tick after the operation notices).
 */

/** The two ways an HSM goes away. */
export type FaultMode = 'power' | 'network';

/** Takes an HSM down (named by ARN, id, serial, configuration name or label). */
export function fail(ctx: Ctx, hsmRef: string, mode: FaultMode): void {
  const hsm = requireHsm(ctx.world, hsmRef);
  if (mode === 'power') hsm.faults.power = 'off';
  else hsm.faults.network = 'down';
}

/** Brings an HSM back: power on, network up. Its objects are as it left them. */
export function restore(ctx: Ctx, hsmRef: string): void {
  const hsm = requireHsm(ctx.world, hsmRef);
  hsm.faults = { power: 'on', network: 'up' };
}

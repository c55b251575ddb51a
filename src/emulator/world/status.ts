import type { HsmStatus, Reachability } from '../../fleet/types.js';
import { lunaError, unreachable } from '../errors.js';
import type { HsmDoc, WorldMeta } from './types.js';
import type { Ctx } from './world.js';

/**
 * Derived states: an HSM's control-plane status and whether its appliance answers. Status is
 * computed from the virtual clock rather than stored, so moving the clock (or real time passing)
 * finishes provisioning without anyone having to write it down.
 */

/** Whether the HSM is still provisioning at virtual time `now`. */
export function isPending(hsm: HsmDoc, meta: WorldMeta, now: number): boolean {
  return now < hsm.createdAt + meta.provisioningMs;
}

/** Reachability from the fault state. */
export function reachabilityOf(hsm: HsmDoc): Reachability {
  if (hsm.faults.power === 'off') return 'power-lost';
  if (hsm.faults.network === 'down') return 'network-lost';
  return 'reachable';
}

/** PENDING while provisioning, DEGRADED while its appliance is unreachable, else RUNNING. */
export function hsmStatus(hsm: HsmDoc, meta: WorldMeta, now: number): HsmStatus {
  if (isPending(hsm, meta, now)) return 'PENDING';
  return reachabilityOf(hsm) === 'reachable' ? 'RUNNING' : 'DEGRADED';
}

/** Whether the appliance answers now: provisioned, powered and on the network. */
export function answers(hsm: HsmDoc, meta: WorldMeta, now: number): boolean {
  return !isPending(hsm, meta, now) && reachabilityOf(hsm) === 'reachable';
}

/** Throws the retryable refusal of an appliance that does not answer. */
export function requireAnswering(ctx: Ctx, hsm: HsmDoc): void {
  if (isPending(hsm, ctx.world.meta, ctx.now)) throw unreachable(hsm, 'still provisioning (PENDING)');
  const reach = reachabilityOf(hsm);
  if (reach !== 'reachable') throw unreachable(hsm, reach === 'power-lost' ? 'power lost' : 'network lost');
}

/** Throws unless the HSM has been initialized (not zeroized). */
export function requireInitialized(hsm: HsmDoc): void {
  if (hsm.zeroized) throw lunaError('LUNA_RET_HSM_ZEROIZED', `HSM ${hsm.serial} is zeroized; it must be initialized first`);
}

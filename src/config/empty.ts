import type { DesiredFleet } from './types.js';

/**
 * Whether a configuration declares nothing (no HSM, HAPG or client): what an empty or
 * half-written file reads as. Applied, it would destroy every managed resource, so `apply`
 * refuses it without --allow-destroy and `watch` never reconciles towards it.
 */
export function declaresNothing(desired: DesiredFleet): boolean {
  return desired.hsms.length === 0 && desired.hapgs.length === 0 && desired.clients.length === 0;
}

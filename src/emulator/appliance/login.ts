import { RefusalAfterChange, lunaError } from '../errors.js';
import { requireHsm } from '../world/lookup.js';
import { verifySecret } from '../world/secrets.js';
import { requireAnswering, requireInitialized } from '../world/status.js';
import type { HsmDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';

/**
 * The appliance's SO (HSM Admin) login and zeroization. Three consecutive wrong SO passwords
 * zeroize the HSM, as on a Luna SA; a correct one gives the attempts back.
 */

/** SO login attempts of a fresh or just-initialized HSM. */
export const SO_LOGIN_ATTEMPTS = 3;

/** Wipes the HSM to factory state: label, secrets, partitions (and their objects), clients. */
export function wipe(hsm: HsmDoc): void {
  hsm.zeroized = true;
  hsm.label = null;
  hsm.cloningDomainHash = null;
  hsm.soPasswordHash = null;
  hsm.soLoginAttemptsLeft = SO_LOGIN_ATTEMPTS;
  hsm.partitions = [];
  hsm.clients = [];
}

/**
 * Checks the SO password of an answering, initialized HSM. A wrong one spends an attempt and
 * throws `A00000 : LUNA_RET_UM_PIN_INCORRECT`; the last one zeroizes the HSM and throws
 * `30000F : LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD`. Both keep their effect (`RefusalAfterChange`).
 */
export function soLogin(ctx: Ctx, hsm: HsmDoc, soPassword: string): void {
  requireAnswering(ctx, hsm);
  requireInitialized(hsm);
  if (hsm.soPasswordHash !== null && verifySecret(soPassword, hsm.soPasswordHash)) {
    hsm.soLoginAttemptsLeft = SO_LOGIN_ATTEMPTS;
    return;
  }
  hsm.soLoginAttemptsLeft -= 1;
  if (hsm.soLoginAttemptsLeft <= 0) {
    wipe(hsm);
    throw new RefusalAfterChange(lunaError('LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD'));
  }
  throw new RefusalAfterChange(lunaError('LUNA_RET_UM_PIN_INCORRECT'));
}

/** `hsm login`. */
export function hsmLogin(ctx: Ctx, hsmRef: string, soPassword: string): void {
  soLogin(ctx, requireHsm(ctx.world, hsmRef), soPassword);
}

/** `hsm zeroize`: needs the appliance to answer; the HSM is factory-fresh afterwards. */
export function zeroizeHsm(ctx: Ctx, hsmRef: string): void {
  const hsm = requireHsm(ctx.world, hsmRef);
  requireAnswering(ctx, hsm);
  wipe(hsm);
}

/**
 * Whether `cloningDomain` is the HSM's (checked against its salted hash; no login attempt is
 * spent). False for a zeroized HSM. Answers from the record even while the appliance is down.
 */
export function verifyCloningDomain(ctx: Ctx, hsmRef: string, cloningDomain: string): boolean {
  const hsm = requireHsm(ctx.world, hsmRef);
  return hsm.cloningDomainHash !== null && verifySecret(cloningDomain, hsm.cloningDomainHash);
}

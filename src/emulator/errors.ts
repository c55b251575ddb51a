import { DeviceError } from '../errors.js';
import type { HsmDoc } from './world/types.js';

/**
 * The refusals of the emulated devices, in the real tools' words. `DeviceError.code` is the
 * tool's code; the message carries the text the tool prints for it (lunash codes as
 * `A00000 : LUNA_RET_UM_PIN_INCORRECT`); the shells add their own framing.
 */

/**
 * lunash result codes the appliance answers with: code name → hex code as the appliance prints it
 * (null where the documented sources give no hex; the name alone is printed).
 */
export const LUNA_CODES = {
  LUNA_RET_UM_PIN_INCORRECT: 'A00000',
  LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD: '30000F',
  RC_OBJECT_NOT_IN_LIST: 'C000040A',
  LUNA_RET_HSM_ZEROIZED: null,
  LUNA_RET_DEVICE_ERROR: null,
  RC_OBJECT_ALREADY_EXISTS: null,
  RC_INVALID_PARAMETER: null,
} as const;

/** A lunash code name. */
export type LunaCode = keyof typeof LUNA_CODES;

/** `A00000 : LUNA_RET_UM_PIN_INCORRECT` (or the bare name when the hex is unknown). */
export function lunaText(code: LunaCode): string {
  const hex = LUNA_CODES[code];
  return hex === null ? code : `${hex} : ${code}`;
}

/** A lunash refusal, optionally followed by a sentence of detail. */
export function lunaError(code: LunaCode, detail?: string, options: { retryable?: boolean } = {}): DeviceError {
  return new DeviceError(code, detail === undefined ? lunaText(code) : `${lunaText(code)} (${detail})`, options);
}

/** A CloudHSM API `InvalidRequestException`. */
export function invalidRequest(message: string): DeviceError {
  return new DeviceError('InvalidRequestException', message);
}

/** An unknown resource. */
export function notFound(kind: string, ref: string): DeviceError {
  return new DeviceError('ResourceNotFound', `${kind} ${ref} not found`);
}

/** A `vtl` refusal. */
export function vtlError(message: string): DeviceError {
  return new DeviceError('VTL_ERROR', message);
}

/** The appliance does not answer (power or network lost, or still provisioning): retry later. */
export function unreachable(hsm: HsmDoc, why: string): DeviceError {
  return new DeviceError(
    'LUNA_RET_DEVICE_ERROR',
    `${lunaText('LUNA_RET_DEVICE_ERROR')} (HSM ${hsm.serial} at ${hsm.eniIp} does not answer: ${why})`,
    { retryable: true },
  );
}

/**
 * A refusal whose side effects must be kept (a wrong SO password spends an attempt; the last one
 * zeroizes the HSM): the emulator saves the world, then throws `refusal`.
 */
export class RefusalAfterChange extends Error {
  /** The error the caller sees. */
  readonly refusal: DeviceError;
  constructor(refusal: DeviceError) {
    super(refusal.message);
    this.name = 'RefusalAfterChange';
    this.refusal = refusal;
  }
}

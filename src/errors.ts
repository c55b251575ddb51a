/**
 * The three kinds of failure hsmctl distinguishes. Only the CLI entry point maps them to exit
 * codes and output: a UserError or DeviceError prints its message (no stack) and exits 1; any
 * other error is a bug and prints its stack.
 */

/** Bad input or a refused request the user can fix (invalid config, lock held, stale plan). */
export class UserError extends Error {
  /** Stable machine-readable code, e.g. `config.invalid`, `lock.held`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
  }
}

/**
 * A device or the control plane refused an operation, in its own words. `code` is the real
 * tool's code (`LUNA_RET_UM_PIN_INCORRECT`, `InvalidRequestException`, …) and `message` the text
 * the real tool would print.
 */
export class DeviceError extends Error {
  /** The real tool's error code. */
  readonly code: string;
  /** Whether retrying the same request later may succeed (e.g. a device that is unreachable). */
  readonly retryable: boolean;
  constructor(code: string, message: string, options: { retryable?: boolean } = {}) {
    super(message);
    this.name = 'DeviceError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** An invariant of hsmctl itself was broken: this is a bug. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}

/** Whether an error is one the user caused or the device reported (printed without a stack). */
export function isExpectedError(err: unknown): err is UserError | DeviceError {
  return err instanceof UserError || err instanceof DeviceError;
}

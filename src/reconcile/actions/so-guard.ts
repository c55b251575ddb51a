import { createHash } from 'node:crypto';
import { DeviceError, UserError } from '../../errors.js';
import type { Secret } from '../../config/secret.js';
import { MIN_ATTEMPTS_LEFT } from '../plan/so-login.js';

/**
 * Never zeroize by mistake (SPEC §4). A Luna SA zeroizes itself after three wrong SO passwords in
 * a row, so before any step that logs in as SO hsmctl:
 *
 * - runs one such step per HSM at a time (two concurrent wrong logins would spend two attempts);
 * - reads the attempts left afresh and refuses to log in with fewer than `MIN_ATTEMPTS_LEFT`:
 *   if the configured password were wrong, the attempt would wipe the HSM;
 * - after one refused SO password, stops every SO step on that HSM that would use the same
 *   password, and reports it; it never retries the password. The guard keeps a digest of the
 *   refused password, in memory only, so a corrected one is tried. `watch` keeps one guard for
 *   all its passes, so they do not retry a refused password either; each `apply` has its own.
 */

export { MIN_ATTEMPTS_LEFT };

/** Device codes of a refused SO password. */
const REFUSED = new Set(['LUNA_RET_UM_PIN_INCORRECT', 'LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD']);

/** The HSM a guarded step logs in to. */
export interface SoTarget {
  arn: string;
  /** Its name in configuration. */
  name: string;
  /** The configured SO password (only its reference is ever shown). */
  soPassword: Secret;
}

export class SoGuard {
  /** Where a refusal holds, in words: `in this run`, or `while watching`. */
  readonly #scope: string;
  /** HSM ARN → why SO logins on it stopped, and a digest of the password it refused. */
  readonly #refused = new Map<string, { why: string; digest: string }>();
  /** HSM ARN → the tail of its queue of guarded steps. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(scope = 'in this run') {
    this.#scope = scope;
  }

  /** Why SO logins on the HSM stopped, if they did. */
  refusedOn(arn: string): string | undefined {
    return this.#refused.get(arn)?.why;
  }

  /**
   * Runs `step` (which may log in as SO on `target`) once the HSM's earlier guarded steps are
   * over, if `attemptsLeft()` (read now) allows it and no SO password was refused on it before.
   */
  run<T>(target: SoTarget, attemptsLeft: () => Promise<number>, step: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(target.arn) ?? Promise.resolve();
    const next = previous.then(() => this.#guarded(target, attemptsLeft, step));
    this.#queues.set(target.arn, next.catch(() => undefined));
    return next;
  }

  async #guarded<T>(target: SoTarget, attemptsLeft: () => Promise<number>, step: () => Promise<T>): Promise<T> {
    const refused = this.#refused.get(target.arn);
    if (refused !== undefined && refused.digest === digestOf(target.soPassword)) {
      throw new UserError(
        'so.stopped',
        `not logging in as SO on hsm ${target.name}: ${refused.why} earlier ${this.#scope}, and hsmctl never retries a refused SO password (correct it in ${target.soPassword.describe()})`,
      );
    }
    const left = await attemptsLeft();
    if (left < MIN_ATTEMPTS_LEFT) {
      throw new UserError(
        'so.attemptsLeft',
        `refusing to log in as SO on hsm ${target.name}: only ${left} SO login attempt${left === 1 ? '' : 's'} left, and one more wrong ` +
          `password would zeroize it. Check the SO password configured for ${target.name} (${target.soPassword.describe()}), ` +
          `log in once by hand with the right one to reset the counter (hsmctl emu lunash ${target.name} -- hsm login -password …), then apply again`,
      );
    }
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof DeviceError) || !REFUSED.has(err.code)) throw err;
      const why = `its SO password was refused (${err.message})`;
      this.#refused.set(target.arn, { why, digest: digestOf(target.soPassword) });
      throw new DeviceError(
        err.code,
        `hsm ${target.name} refused the configured SO password (${target.soPassword.describe()}): ${err.message}. ` +
          `hsmctl stops every action on this HSM and does not retry it; correct the configured password and apply again`,
      );
    }
  }
}

/** A digest of a password, to recognise it again without keeping it (never written anywhere). */
function digestOf(secret: Secret): string {
  return createHash('sha256').update(secret.reveal()).digest('hex');
}

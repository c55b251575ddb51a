import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../../errors.js';
import type { Hsm, ObservedFleet } from '../../fleet/types.js';
import { STOPPED } from '../apply/result.js';

/**
 * Waiting for provisioning: a new HSM stays PENDING until CloudHSM has built it. The executor
 * polls in real time with a growing pause (bounded), the way one would poll `describe-hsm`.
 */

/** How waiting is paced and bounded. */
export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** First pause between polls (ms); it grows by half each time up to `maxPollMs`. */
  firstPollMs: number;
  maxPollMs: number;
  /** How often to report that it is still waiting (ms). */
  reportEveryMs: number;
}

/** Defaults: real provisioning takes minutes, so wait up to half an hour, reporting every 10 s. */
export const DEFAULT_WAIT: WaitOptions = { timeoutMs: 30 * 60_000, firstPollMs: 20, maxPollMs: 2_000, reportEveryMs: 10_000 };

/**
 * Polls `observe` until the HSM is no longer PENDING; reports `Still creating... [10s elapsed]`.
 * Gives up at once when `stopping` is aborted (Ctrl-C): the next apply finds the HSM and waits.
 */
export async function waitUntilProvisioned(
  observe: () => Promise<ObservedFleet>,
  hsmArn: string,
  name: string,
  options: WaitOptions,
  progress: (message: string) => void,
  stopping?: AbortSignal,
): Promise<Hsm> {
  const started = Date.now();
  let pause = options.firstPollMs;
  let nextReport = options.reportEveryMs;
  const stopped = (): UserError =>
    new UserError(STOPPED, `hsmctl is stopping (interrupted): it no longer waits for hsm ${name} to be provisioned; the next apply does`);
  for (;;) {
    if (stopping?.aborted === true) throw stopped();
    const hsm = (await observe()).hsms.find((h) => h.arn === hsmArn);
    if (hsm === undefined) throw new UserError('apply.missing', `hsm ${name} (${hsmArn}) disappeared while hsmctl waited for it to be provisioned`);
    if (hsm.status !== 'PENDING') return hsm;
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutMs) {
      throw new UserError('apply.timeout', `hsm ${name} is still being provisioned (PENDING) after ${Math.round(elapsed / 1000)}s; run "hsmctl apply" again later`);
    }
    if (elapsed >= nextReport) {
      progress(`Still waiting for provisioning... [${Math.floor(elapsed / 1000)}s elapsed]`);
      nextReport += options.reportEveryMs;
    }
    await sleep(Math.min(pause, options.timeoutMs - elapsed), undefined, stopping !== undefined ? { signal: stopping } : {}).catch((err: unknown) => {
      if (stopping?.aborted === true) throw stopped();
      throw err;
    });
    pause = Math.min(options.maxPollMs, Math.ceil(pause * 1.5));
  }
}

import { UserError } from '../../errors.js';
import type { FleetDriver } from '../../fleet/driver.js';
import { STOPPED } from './result.js';

/**
 * A driver that stops starting device operations once `stopping` is aborted (Ctrl-C or SIGTERM
 * during `apply` or `watch`):
 * an operation already running finishes, the next one is refused. Every device operation is atomic
 * and every action checks the world before acting (SPEC §4 crash safety), so stopping between two
 * operations leaves a world the next plan reads correctly and the next apply completes. The
 * executor, given the same signal, starts no action after it and reports the run as stopped; an
 * action refused its next operation fails with the code `STOPPED`, which renderers show as
 * stopped, not failed. Reading the fleet (`describe`, `verifyCloningDomain`) changes nothing and
 * goes on, so a run whose actions all finished still confirms that the fleet matches the
 * configuration (the provisioning wait stops by the same signal: see `wait.ts`).
 */
export function interruptible(driver: FleetDriver, stopping: AbortSignal): FleetDriver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (stopping.aborted && !READS.has(property)) {
          return Promise.reject(new UserError(STOPPED, 'hsmctl is stopping (interrupted): no further device operation was started'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Driver calls that only read (a query, costing no login attempt). */
const READS: ReadonlySet<string | symbol> = new Set<keyof FleetDriver>(['describe', 'verifyCloningDomain']);

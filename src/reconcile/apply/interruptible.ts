import { UserError } from '../../errors.js';
import type { FleetDriver } from '../../fleet/driver.js';
import { STOPPED } from './result.js';

/**
 * A driver that stops starting device operations once `stopping` is aborted (Ctrl-C or SIGTERM
 * during `apply` or `watch`):
 * an operation already running finishes, the next one is refused. Every device operation is atomic
 * and every action checks the world before acting (SPEC §4 crash safety), so stopping between two
 * operations leaves a world the next plan reads correctly and the next apply completes; the
 * executor, seeing the refusal as a failure, starts nothing new, and the renderers report the
 * action as stopped (`STOPPED`).
 */
export function interruptible(driver: FleetDriver, stopping: AbortSignal): FleetDriver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (stopping.aborted) {
          return Promise.reject(new UserError(STOPPED, 'hsmctl is stopping (interrupted): no further device operation was started'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

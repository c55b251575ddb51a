import { loadConfig } from '../../../src/config/index.js';
import type { DesiredFleet } from '../../../src/config/types.js';
import { createEmulator, type WorldEmulator } from '../../../src/emulator/index.js';
import { memoryStore } from '../../../src/emulator/store/memory.js';
import type { FleetDriver } from '../../../src/fleet/driver.js';
import { SoGuard, type ActionContext } from '../../../src/reconcile/actions/index.js';
import { observe } from '../../../src/reconcile/observe.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import type { Plan } from '../../../src/reconcile/plan/types.js';
import { QUICKSTART } from './fixtures.js';

/** In-process worlds for executor tests: an emulator in memory and drivers that can be watched. */

export function memoryWorld(seed = 'apply-tests'): WorldEmulator {
  return createEmulator(memoryStore(), { seed });
}

/** The quickstart configuration, loaded by the real loader. */
export async function quickstartDesired(): Promise<DesiredFleet> {
  const result = await loadConfig(QUICKSTART, { env: {}, cwd: QUICKSTART });
  if (result.fleet === undefined) throw new Error('examples/quickstart does not load');
  return result.fleet;
}

/** What a handler runs with, on an emulated world: fresh reads, a new SO guard, no waiting. */
export function actionContext(emu: WorldEmulator, desired: DesiredFleet): ActionContext {
  return {
    driver: emu,
    desired,
    observe: () => emu.describe(),
    soGuard: new SoGuard(),
    progress: () => undefined,
    waitUntilProvisioned: async (arn) => (await emu.describe()).hsms.find((h) => h.arn === arn)!,
  };
}

/** Observes and plans, as apply does. */
export async function planFor(driver: FleetDriver, desired: DesiredFleet, allowDestroy = false): Promise<Plan> {
  const { observed, cloningDomainMismatch } = await observe(driver, desired);
  return plan(desired, observed, { allowDestroy, cloningDomainMismatch });
}

/** Driver methods that only read. */
export const READS = new Set(['describe', 'verifyCloningDomain']);

/** A driver call as seen by `watched`. */
export interface Call {
  method: string;
  args: unknown[];
}

/**
 * The driver with every call recorded; `around` may wrap any call (delay it, fail it, do something
 * after it). Returns the driver and the list of calls, in the order they began.
 */
export function watched(
  driver: FleetDriver,
  around: (call: Call, proceed: () => Promise<unknown>) => Promise<unknown> = (_c, proceed) => proceed(),
): { driver: FleetDriver; calls: Call[] } {
  const calls: Call[] = [];
  const proxy = new Proxy(driver, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const call = { method: key, args };
        calls.push(call);
        return around(call, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      };
    },
  });
  return { driver: proxy, calls };
}

/** The calls that change something. */
export function mutations(calls: readonly Call[]): Call[] {
  return calls.filter((c) => !READS.has(c.method));
}

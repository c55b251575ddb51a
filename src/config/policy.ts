import type { AutoRecoveryPolicy } from './types.js';

/** A client's policy when neither it nor the configuration declares one: off, as on a new client. */
export const DISABLED_POLICY: Readonly<AutoRecoveryPolicy> = Object.freeze({ enabled: false, retry: 0, interval: 60 });

/** The defaults of a declared policy's absent fields (the values of the seed walkthrough). */
const DEFAULT_RETRY = -1;
const DEFAULT_INTERVAL = 60;

function retryOf(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= -1 && (value as number) <= 500 ? (value as number) : undefined;
}

function intervalOf(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 60 && (value as number) <= 1200 ? (value as number) : undefined;
}

/**
 * A declared policy with its absent fields filled: `enabled` defaults to true (declaring a policy
 * turns it on), `retry` and `interval` to those of `base` (the global policy, for a client's
 * override), else -1 and 60. Out-of-range values are schema errors and count as absent here.
 */
export function declaredPolicy(value: Record<string, unknown>, base?: AutoRecoveryPolicy): AutoRecoveryPolicy {
  return {
    enabled: typeof value.enabled === 'boolean' ? value.enabled : true,
    retry: retryOf(value.retry) ?? base?.retry ?? DEFAULT_RETRY,
    interval: intervalOf(value.interval) ?? base?.interval ?? DEFAULT_INTERVAL,
  };
}

/** A client's effective policy: its override over the global one, else the global one, else off. */
export function effectivePolicy(override: unknown, global: AutoRecoveryPolicy | undefined): AutoRecoveryPolicy {
  if (override !== null && typeof override === 'object' && !Array.isArray(override)) {
    return declaredPolicy(override as Record<string, unknown>, global);
  }
  return global ?? { ...DISABLED_POLICY };
}

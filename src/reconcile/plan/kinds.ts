import type { ActionKind, FieldValue, UnknownValue } from './types.js';

/**
 * Every action kind, in the order of the manual procedure (SPEC §1): teardown first, in reverse
 * dependency order, then provisioning as the seed walkthrough does it (the client's certificate
 * first, then the HSMs, their trust links, the group, its members, assignments, registration,
 * configuration and autoRecovery). Ties in the topological order of a plan are broken by this
 * order, so a runbook reads as the procedure does.
 */
export const PROCEDURE_ORDER = [
  'hapg.deregisterClient',
  'partition.revoke',
  'hsm.deregisterClient',
  'client.deleteServer',
  'hapg.removeMember',
  'hapg.delete',
  'client.delete',
  'hsm.zeroize',
  'hsm.delete',
  'hsm.create',
  'hsm.initialize',
  'hsm.setProtection',
  'client.create',
  'client.addServer',
  'hsm.registerClient',
  'hapg.create',
  'hapg.addMember',
  'partition.assign',
  'hapg.registerClient',
  'client.writeConfig',
  'client.setAutoRecovery',
  'hapg.recoverMember',
] as const satisfies readonly ActionKind[];

/** How a secret is shown anywhere outside the process. */
export const SENSITIVE = '(sensitive)';

/** A value known only after apply. */
export const UNKNOWN: UnknownValue = Object.freeze({ unknown: true as const });

/** Whether a field value is `UNKNOWN`. */
export function isUnknown(value: FieldValue | undefined): value is UnknownValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.unknown === true;
}

/** A value that may not be known yet. */
export function orUnknown(value: string | undefined | null): string | UnknownValue {
  return value === undefined || value === null ? UNKNOWN : value;
}

/** Plain code-point comparison, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { readFile, writeFile } from 'node:fs/promises';
import type { DesiredFleet } from '../config/types.js';
import { UserError } from '../errors.js';
import type { Observation } from './observe.js';
import { changedResources, configFingerprint, resourceFingerprints } from './fingerprint.js';
import type { Plan } from './plan/types.js';

/**
 * A saved plan (`hsmctl plan --out FILE`, then `hsmctl apply FILE`): the plan together with the
 * fingerprints of what it was made from, so that applying it later either does exactly those
 * actions or refuses, naming what changed. Holds no secret (plans never do; fingerprints hash
 * only secret references). Written with mode 0600 all the same.
 */

/** Layout version of a saved plan file. */
export const SAVED_PLAN_FORMAT_VERSION = 1;

/** The saved plan file. */
export interface SavedPlan {
  formatVersion: typeof SAVED_PLAN_FORMAT_VERSION;
  /** Marks the file as an hsmctl plan (so `apply PATH` can tell it from a configuration). */
  kind: 'hsmctl-plan';
  /** ISO time the plan was made. */
  createdAt: string;
  /** The planning options it was made with. */
  options: { allowDestroy: boolean };
  /** The configuration: its absolute path and fingerprint. */
  config: { path: string; fingerprint: string };
  /** Fingerprint of each observed resource, by address. */
  resources: Record<string, string>;
  plan: Plan;
}

/** The saved form of a plan made from `desired` (loaded from `configPath`) and `observation`. */
export function savePlan(plan: Plan, desired: DesiredFleet, configPath: string, observation: Observation, options: { allowDestroy: boolean }): SavedPlan {
  return {
    formatVersion: SAVED_PLAN_FORMAT_VERSION,
    kind: 'hsmctl-plan',
    createdAt: new Date().toISOString(),
    options,
    config: { path: configPath, fingerprint: configFingerprint(desired) },
    resources: resourceFingerprints(observation.observed, observation.cloningDomainMismatch),
    plan,
  };
}

export async function writeSavedPlan(path: string, saved: SavedPlan, shown = path): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = WRITE_ERRORS[code ?? ''] ?? code ?? String(err);
    throw new UserError('plan.unwritable', `cannot save the plan to ${shown}: ${why}`);
  }
}

/** Why a plan file could not be written, in words. */
const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of its path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** Whether a file's text is a saved plan (rather than configuration). */
export function looksLikeSavedPlan(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    return (JSON.parse(text) as { kind?: unknown }).kind === 'hsmctl-plan';
  } catch {
    return false;
  }
}

/** Reads a saved plan, refusing anything else with a clear message. */
export async function readSavedPlan(path: string, shown = path): Promise<SavedPlan> {
  let parsed: Partial<SavedPlan>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<SavedPlan>;
  } catch (err) {
    throw new UserError('plan.unreadable', `${shown} is not a readable plan file (${err instanceof SyntaxError ? 'not JSON' : (err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (parsed.kind !== 'hsmctl-plan' || parsed.plan === undefined || parsed.config === undefined || parsed.resources === undefined) {
    throw new UserError('plan.unreadable', `${shown} is not an hsmctl plan file (make one with "hsmctl plan --out FILE")`);
  }
  if (parsed.formatVersion !== SAVED_PLAN_FORMAT_VERSION) {
    throw new UserError('plan.version', `${shown} has plan format version ${String(parsed.formatVersion)}; this hsmctl reads version ${SAVED_PLAN_FORMAT_VERSION}. Make the plan again`);
  }
  // Plans saved before `heldBack` existed hold nothing back.
  parsed.plan.heldBack ??= [];
  // …nor anything waiting for an unreachable HSM (`deferred`).
  parsed.plan.deferred ??= [];
  return parsed as SavedPlan;
}

/**
 * Refuses (`plan is stale: …`) a saved plan whose configuration or observed resources changed
 * since it was made, naming the configuration and each changed, added or removed resource.
 */
export function checkFresh(saved: SavedPlan, desired: DesiredFleet, observation: Observation): void {
  const reasons: string[] = [];
  if (configFingerprint(desired) !== saved.config.fingerprint) reasons.push(`the configuration (${saved.config.path}) changed`);
  reasons.push(...changedResources(saved.resources, resourceFingerprints(observation.observed, observation.cloningDomainMismatch)));
  if (reasons.length > 0) {
    throw new UserError('plan.stale', `plan is stale: ${reasons.join('; ')} since it was made at ${saved.createdAt}. Run "hsmctl plan" again`);
  }
}

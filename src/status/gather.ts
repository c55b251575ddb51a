import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { displayPath, formatDiagnostic, loadConfig } from '../config/index.js';
import type { Diagnostic, DesiredFleet } from '../config/index.js';
import type { FleetDriver } from '../fleet/driver.js';
import type { ObservedFleet } from '../fleet/types.js';
import { currentRevision, readAppliedRevision } from '../gitops/index.js';
import type { AppliedRevision, Revision } from '../gitops/index.js';
import { observe } from '../reconcile/observe.js';
import { plan } from '../reconcile/plan/index.js';
import type { Plan } from '../reconcile/plan/types.js';

/**
 * The reads `status` and `graph` share: the configuration (if valid), the world through the
 * driver, the plan between them, and the git provenance. A state directory that does not exist is
 * an empty world and is not created: looking never changes anything on disk.
 */

/** Where to look. */
export interface GatherOptions {
  /** Configuration path as given (relative to `cwd`). */
  path: string;
  /** State directory (absolute). */
  stateDir: string;
  /** Environment secret references resolve in. */
  env: Record<string, string | undefined>;
  /** Directory `path` is relative to. */
  cwd: string;
  /** Opens the driver of an existing state directory (the CLI picks it: `cli/shared/world.ts`). */
  openDriver: (stateDir: string) => FleetDriver;
  /** Wall clock for an empty world's observation time (tests inject one). */
  now?: () => number;
  /** Whether to read git and the record of the last apply (status only). */
  provenance?: boolean;
}

/** What was read. */
export interface Gathered {
  /** The world (empty when the state directory does not exist). */
  observed: ObservedFleet;
  /** Whether the state directory exists (false: an empty world was assumed). */
  worldExists: boolean;
  /** The valid configuration, if it is valid. */
  desired?: DesiredFleet;
  /** Present exactly when `desired` is. */
  plan?: Plan;
  /** Configuration diagnostics (errors and warnings). */
  diagnostics: Diagnostic[];
  /** One line saying why there is no configuration to compare with. */
  unknownReason?: string;
  /** Absolute configuration path. */
  configPath: string;
  /** HEAD of the configuration's work tree (with `provenance`). */
  head?: Revision;
  /** The last recorded apply (with `provenance`). */
  applied?: AppliedRevision;
}

async function exists(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

function emptyWorld(now: number): ObservedFleet {
  return { observedAt: new Date(now).toISOString(), region: '', account: '', hsms: [], hapgs: [], clients: [] };
}

function invalidReason(diagnostics: readonly Diagnostic[], shown: string): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (first === undefined) return `no valid configuration at ${shown}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; run "hsmctl validate ${shown}")` : '';
  // A problem with the path itself (missing, empty, unreadable) reads better without `error`.
  if (first.line === 0 && first.path === '') return `no valid configuration at ${first.file}: ${first.message}${more}`;
  return `no valid configuration: ${formatDiagnostic(first)}${more}`;
}

/** Reads everything status and graph are computed from. */
export async function gather(options: GatherOptions): Promise<Gathered> {
  const configPath = resolve(options.cwd, options.path);
  const loaded = await loadConfig(options.path, { env: options.env, cwd: options.cwd });
  const worldExists = await exists(options.stateDir);
  const driver = worldExists ? options.openDriver(options.stateDir) : undefined;
  const desired = loaded.fleet;
  let observed: ObservedFleet;
  let made: Plan | undefined;
  if (desired !== undefined) {
    const seen = driver === undefined ? { observed: emptyWorld((options.now ?? Date.now)()), cloningDomainMismatch: [] } : await observe(driver, desired);
    observed = seen.observed;
    made = plan(desired, observed, { cloningDomainMismatch: seen.cloningDomainMismatch });
  } else {
    observed = driver === undefined ? emptyWorld((options.now ?? Date.now)()) : await driver.describe();
  }
  const gathered: Gathered = { observed, worldExists, diagnostics: loaded.diagnostics, configPath };
  if (desired !== undefined && made !== undefined) {
    gathered.desired = desired;
    gathered.plan = made;
  } else {
    gathered.unknownReason = invalidReason(loaded.diagnostics, displayPath(configPath, options.cwd));
  }
  if (options.provenance === true) {
    const [head, applied] = await Promise.all([currentRevision(configPath), readAppliedRevision(options.stateDir)]);
    if (head !== undefined) gathered.head = head;
    if (applied !== undefined) gathered.applied = applied;
  }
  return gathered;
}

import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { currentRevision } from './revision.js';

/**
 * The provenance of the last successful apply, kept beside the emulated world in the state
 * directory (`applied-revision.json`, which the store ignores): which commit of the configuration
 * was applied, whether its tree had uncommitted changes, and when. `hsmctl status` compares it
 * with HEAD, as Argo CD compares the synced revision with the target one.
 */

/** What `recordAppliedRevision` stores. */
export interface AppliedRevision {
  /** HEAD of the configuration's git work tree when applied; null when it was not in one. */
  commit: string | null;
  /** Whether the configuration path had uncommitted changes when applied (false outside git). */
  dirty: boolean;
  /** The configuration path that was applied (absolute). */
  configPath: string;
  /** When the apply finished (ISO 8601). */
  appliedAt: string;
}

/** File name of the record inside the state directory. */
export const APPLIED_REVISION_FILE = 'applied-revision.json';

let sequence = 0;

/**
 * Records a successful apply: written to a temp file (mode 0600) in the state directory, synced,
 * then renamed over the record, so a crash leaves the old record or the new one, never a torn one.
 */
export async function recordAppliedRevision(stateDir: string, record: AppliedRevision): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const target = join(stateDir, APPLIED_REVISION_FILE);
  sequence += 1;
  const temp = `${target}.${process.pid}-${sequence}.tmp`;
  const body = { formatVersion: 1, commit: record.commit, dirty: record.dirty, configPath: record.configPath, appliedAt: record.appliedAt };
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(body, null, 2)}\n`, 'utf8');
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

function isRecord(value: unknown): value is AppliedRevision {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.commit === null || (typeof v.commit === 'string' && /^[0-9a-f]{7,64}$/.test(v.commit))) &&
    typeof v.dirty === 'boolean' &&
    typeof v.configPath === 'string' &&
    typeof v.appliedAt === 'string' &&
    !Number.isNaN(Date.parse(v.appliedAt))
  );
}

/** The last recorded apply, or undefined when none was recorded in `stateDir`. */
export async function readAppliedRevision(stateDir: string): Promise<AppliedRevision | undefined> {
  const file = join(stateDir, APPLIED_REVISION_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    throw new UserError('gitops.record', `${file} is not a valid record of the last apply; delete it (the next apply writes it again)`);
  }
  return { commit: parsed.commit, dirty: parsed.dirty, configPath: parsed.configPath, appliedAt: parsed.appliedAt };
}

/**
 * Records that the fleet now matches the configuration at `configPath` (absolute), with the git
 * revision it has now: what `apply` and `watch --apply` call once a fresh plan is empty.
 */
export async function recordInSync(stateDir: string, configPath: string): Promise<void> {
  const revision = await currentRevision(configPath);
  await recordAppliedRevision(stateDir, {
    commit: revision?.commit ?? null,
    dirty: revision?.dirty ?? false,
    configPath,
    appliedAt: new Date().toISOString(),
  });
}

import type { AppliedRevision } from './applied.js';
import type { Revision } from './revision.js';
import { shortSha } from './revision.js';
import { changesWait } from '../render/values.js';

/**
 * Whether the fleet is in sync with the configuration at HEAD (Argo CD's sync status, for a
 * GitOps workflow): the last applied commit is HEAD, neither that apply nor the work tree had
 * uncommitted changes, and a plan made now finds nothing to do. Every condition that fails is
 * named, so the operator knows whether to commit, apply, or look for drift.
 */

/** Argo CD's sync words: `Unknown` when there is no valid configuration to compare with. */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/** The fleet's sync with the configuration, and why. */
export interface GitSync {
  /** Synced only when every condition holds. */
  status: SyncStatus;
  /** One short reason per failed condition (or why it is Unknown); empty when Synced. */
  reasons: string[];
}

/** What the sync is judged from. */
export interface SyncInputs {
  /** HEAD of the configuration's work tree; undefined when it is not in git. */
  head: Revision | undefined;
  /** The last recorded apply; undefined when none was recorded. */
  applied: AppliedRevision | undefined;
  /** Number of actions a plan made now holds; undefined when no plan could be made. */
  planChanges: number | undefined;
  /** Number of changes that plan leaves waiting for unreachable HSMs (`Plan.deferred`). */
  deferred?: number;
  /** Why no plan could be made (invalid configuration), when `planChanges` is undefined. */
  unknownReason?: string;
  /** Absolute path of the configuration being compared; an apply of another path does not count. */
  configPath?: string;
}

function actions(n: number): string {
  return `${n} ${n === 1 ? 'action' : 'actions'}`;
}

/** The sync status and the reason for each condition that fails. */
export function gitSync(inputs: SyncInputs): GitSync {
  const { head, applied, planChanges } = inputs;
  if (planChanges === undefined) return { status: 'Unknown', reasons: [inputs.unknownReason ?? 'no plan could be made'] };
  const reasons: string[] = [];
  if (applied !== undefined && inputs.configPath !== undefined && applied.configPath !== inputs.configPath) {
    reasons.push(`last apply was of another configuration (${applied.configPath})`);
  }
  if (head !== undefined) {
    if (applied === undefined) reasons.push(`HEAD is ${shortSha(head.commit)}, no apply recorded`);
    else if (applied.commit === null) reasons.push(`HEAD is ${shortSha(head.commit)}, last apply was from outside git`);
    else if (applied.commit !== head.commit) reasons.push(`HEAD is ${shortSha(head.commit)}, last applied ${shortSha(applied.commit)}`);
    if (applied?.dirty === true) reasons.push('last apply had uncommitted changes');
    if (head.dirty) reasons.push('the configuration has uncommitted changes');
  }
  if (planChanges > 0) reasons.push(`the plan has ${actions(planChanges)}`);
  const deferred = inputs.deferred ?? 0;
  if (deferred > 0) reasons.push(changesWait(deferred));
  return { status: reasons.length === 0 ? 'Synced' : 'OutOfSync', reasons };
}

/** `Last applied: 1a2b3c4 (dirty) at 2024-01-01T00:05:00Z`, or why there is nothing to show. */
export function lastAppliedLine(applied: AppliedRevision | undefined): string {
  if (applied === undefined) return 'Last applied: never (no apply recorded in this state)';
  const at = new Date(applied.appliedAt).toISOString().replace(/\.000Z$/, 'Z');
  const what = applied.commit === null ? 'outside git' : `${shortSha(applied.commit)}${applied.dirty ? ' (dirty)' : ''}`;
  return `Last applied: ${what} at ${at}`;
}

/** `Synced: HEAD 1a2b3c4 …` / `OutOfSync: HEAD is 1a2b3c4, last applied 9f8e7d6` / `Unknown: …`. */
export function syncLine(sync: GitSync, head: Revision | undefined): string {
  if (sync.status !== 'Synced') return `${sync.status}: ${sync.reasons.join('; ')}`;
  if (head === undefined) return 'Synced: the fleet matches the configuration (not in a git work tree)';
  return `Synced: HEAD ${shortSha(head.commit)} is applied and the fleet matches it`;
}

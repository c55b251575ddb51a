/**
 * GitOps provenance: the git revision of a configuration, the record of the last apply in the
 * state directory, and whether the fleet is in sync with HEAD.
 */
export { currentRevision, shortSha, GIT_TIMEOUT_MS } from './revision.js';
export type { Revision } from './revision.js';
export { recordAppliedRevision, recordInSync, readAppliedRevision, APPLIED_REVISION_FILE } from './applied.js';
export type { AppliedRevision } from './applied.js';
export { gitSync, lastAppliedLine, syncLine } from './sync.js';
export type { GitSync, SyncInputs, SyncStatus } from './sync.js';

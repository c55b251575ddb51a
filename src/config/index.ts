/**
 * The configuration model: YAML files → validated `DesiredFleet` with located diagnostics.
 * See SPEC §2 and the schemas in `schemas/`.
 */
export { loadConfig, displayPath } from './load.js';
export type { LoadOptions, LoadResult } from './load.js';
export { formatDiagnostic, formatLocation, formatPath } from './diagnostic.js';
export type { Diagnostic, Segment } from './diagnostic.js';
export { Secret } from './secret.js';
export type { SecretRef } from './secret.js';
export { DISABLED_POLICY } from './policy.js';
export { declaresNothing } from './empty.js';
export type { AutoRecoveryPolicy, DesiredClient, DesiredFleet, DesiredHapg, DesiredHsm, SourceRef } from './types.js';

import type { Diagnostic, Segment } from './diagnostic.js';
import type { Secret } from './secret.js';
import type { LocateOptions, SourceFile } from './source.js';

/**
 * One declared item (an HSM, a HAPG, a client or an autoRecovery policy) as read from its file,
 * before the desired fleet is built. Its data may still break the schema: the semantic rules
 * read it defensively, so that one typo does not hide every other problem.
 */
export interface Entry {
  /** The file that declares it. */
  file: SourceFile;
  /** Its place in that file, e.g. `['hsms', 3]`. */
  segs: Segment[];
  /** Its mapping as written. */
  value: Record<string, unknown>;
  /** Its secret references that resolved, by key (`soPassword`, …); absent until one resolves. */
  secrets?: Map<string, Secret>;
}

/** Every item declared across the files, in file order. */
export interface Entries {
  hsms: Entry[];
  hapgs: Entry[];
  clients: Entry[];
  /** Each top-level `autoRecovery` mapping (more than one is an error). */
  autoRecovery: Entry[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Gathers the items of every file, concatenating lists in file order. */
export function collectEntries(files: readonly SourceFile[]): Entries {
  const entries: Entries = { hsms: [], hapgs: [], clients: [], autoRecovery: [] };
  for (const file of files) {
    const data = file.data;
    if (!isRecord(data)) continue;
    for (const key of ['hsms', 'hapgs', 'clients'] as const) {
      const list = data[key];
      if (!Array.isArray(list)) continue;
      list.forEach((value: unknown, index) => {
        if (isRecord(value)) entries[key].push({ file, segs: [key, index], value });
      });
    }
    if (isRecord(data.autoRecovery)) {
      entries.autoRecovery.push({ file, segs: ['autoRecovery'], value: data.autoRecovery });
    }
  }
  return entries;
}

/** A string field, or undefined when absent or of another type. */
export function text(entry: Entry, key: string): string | undefined {
  const value = entry.value[key];
  return typeof value === 'string' ? value : undefined;
}

/** The string items of a list field with their indexes (other items are schema errors). */
export function strings(entry: Entry, key: string): { value: string; index: number }[] {
  const list = entry.value[key];
  if (!Array.isArray(list)) return [];
  const out: { value: string; index: number }[] = [];
  list.forEach((value: unknown, index) => {
    if (typeof value === 'string') out.push({ value, index });
  });
  return out;
}

/** A diagnostic at a place inside an entry. */
export function diagnosticAt(
  entry: Entry,
  severity: Diagnostic['severity'],
  segs: readonly Segment[],
  message: string,
  options?: LocateOptions,
): Diagnostic {
  return entry.file.diagnostic(severity, [...entry.segs, ...segs], message, options);
}

/** `file:line:col` of a place inside an entry, to cite it from another message. */
export function whereIn(entry: Entry, segs: readonly Segment[], key = false): string {
  return entry.file.where([...entry.segs, ...segs], key);
}

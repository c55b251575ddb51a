import type { Diagnostic } from './diagnostic.js';
import { schemaDiagnostics } from './schema-messages.js';
import { schemaErrors, schemaKeys } from './schema.js';
import { SourceFile } from './source.js';

/**
 * One configuration file read, parsed and checked against the schema: everything that depends on
 * its text alone. Shared by every load that reads the same text, so nothing in it may change:
 * the data is frozen, and so are the diagnostics (a load hands out copies).
 */
export interface CheckedFile {
  /** The exact text it was made from. */
  readonly text: string;
  /** The parsed file (its data, and where each node was written). */
  readonly source: SourceFile;
  /** Its YAML problems, then its schema problems. */
  readonly diagnostics: readonly Readonly<Diagnostic>[];
}

/** Configuration roots remembered at once; the least recently loaded is forgotten first. */
export const REMEMBERED_ROOTS = 8;

const roots = new Map<string, Map<string, CheckedFile>>();
let parses = 0;

function check(abs: string, display: string, text: string): CheckedFile {
  parses++;
  const source = new SourceFile(abs, display, text, schemaKeys());
  const found = source.ok ? [...source.diagnostics, ...schemaDiagnostics(schemaErrors(source.data), source)] : source.diagnostics;
  return { text, source, diagnostics: Object.freeze(found.map((d) => Object.freeze(d))) };
}

/**
 * The files of one configuration root (a directory or a single file) as last checked, so that
 * loading it again re-parses only the files whose text changed. Callers read every file each
 * time and pass its text: a file is reused only when its path, text and shown path all match,
 * never on the strength of a modification time.
 */
export class RootFiles {
  readonly #files: Map<string, CheckedFile>;

  constructor(files: Map<string, CheckedFile>) {
    this.#files = files;
  }

  /** The checked file for this text: the remembered one when the text is unchanged, else a new one that replaces it. */
  check(abs: string, display: string, text: string): CheckedFile {
    const known = this.#files.get(abs);
    if (known !== undefined && known.text === text && known.source.display === display) return known;
    const fresh = check(abs, display, text);
    this.#files.set(abs, fresh);
    return fresh;
  }

  /** Forgets one file (it could not be read). */
  forget(abs: string): void {
    this.#files.delete(abs);
  }

  /** Forgets every file not in the latest listing of the root (deleted or renamed files). */
  retainOnly(listed: readonly string[]): void {
    const keep = new Set(listed);
    for (const abs of this.#files.keys()) if (!keep.has(abs)) this.#files.delete(abs);
  }
}

/** The remembered files of a root, which becomes the most recently used one. */
export function rootFiles(root: string): RootFiles {
  const files = roots.get(root) ?? new Map<string, CheckedFile>();
  roots.delete(root);
  roots.set(root, files);
  for (const oldest of roots.keys()) {
    if (roots.size <= REMEMBERED_ROOTS) break;
    roots.delete(oldest);
  }
  return new RootFiles(files);
}

/** Forgets a root entirely (it no longer names any configuration file). */
export function forgetRoot(root: string): void {
  roots.delete(root);
}

/** Forgets every root: the next load of any configuration parses every file (benchmarks, tests). */
export function clearCheckedFiles(): void {
  roots.clear();
}

/** How many files this process has parsed and schema-checked so far (for tests of the reuse). */
export function parsedFileCount(): number {
  return parses;
}

import { isAbsolute, relative, resolve } from 'node:path';
import { buildFleet } from './build.js';
import { sortDiagnostics } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { collectEntries, text } from './entries.js';
import type { Entry } from './entries.js';
import { forgetRoot, rootFiles } from './cache.js';
import { listConfigFiles, readTexts } from './files.js';
import { declaredPolicy } from './policy.js';
import { rules } from './rules/index.js';
import type { RuleContext } from './rules/index.js';
import { resolveSecrets } from './secrets.js';
import type { SourceFile } from './source.js';
import type { DesiredFleet } from './types.js';

/** Where the loader looks things up. */
export interface LoadOptions {
  /** Environment that `{ env }` secret references resolve in. */
  env: Record<string, string | undefined>;
  /** Directory a relative path is resolved against, and that messages show files relative to. */
  cwd: string;
}

/** What loading a configuration gave: the fleet when there is no error, and every problem found. */
export interface LoadResult {
  /** Present exactly when no diagnostic is an error. */
  fleet?: DesiredFleet;
  /** Errors and warnings, ordered by file, line and column. */
  diagnostics: Diagnostic[];
}

/** A path as shown to the user: relative to `cwd` (absolute only where no relative path exists). */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel === '' ? '.' : isAbsolute(rel) ? abs : rel;
}

function pathProblem(file: string, message: string): LoadResult {
  return { diagnostics: [{ severity: 'error', file, line: 0, col: 0, path: '', message }] };
}

function firstBy(items: readonly Entry[], key: string): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const entry of items) {
    const id = text(entry, key);
    if (id !== undefined && !map.has(id)) map.set(id, entry);
  }
  return map;
}

/**
 * Loads a configuration — one YAML file or a directory of them — and validates it completely:
 * YAML syntax, the schemas, secret references, then the semantic rules. Every problem is
 * collected; nothing is thrown for bad input.
 */
export async function loadConfig(path: string, options: LoadOptions): Promise<LoadResult> {
  const abs = resolve(options.cwd, path);
  const shown = displayPath(abs, options.cwd);
  const listing = await listConfigFiles(abs);
  if (listing.kind !== 'files') forgetRoot(abs);
  if (listing.kind === 'missing') return pathProblem(shown, 'no such file or directory');
  if (listing.kind === 'empty') return pathProblem(shown, 'no configuration files (*.yaml, *.yml) in this directory');
  if (listing.kind === 'unreadable') return pathProblem(shown, `cannot be read (${listing.reason})`);
  if (listing.kind === 'not-yaml') return pathProblem(shown, 'not a configuration file: a configuration file is named *.yaml or *.yml');

  // Files whose text is unchanged since the last load of this root are not parsed again; what
  // depends on more than one file or on the environment (secrets, rules, the fleet) is redone.
  const known = rootFiles(abs);
  const diagnostics: Diagnostic[] = [];
  const sources: SourceFile[] = [];
  for await (const read of readTexts(listing.files)) {
    const display = displayPath(read.file, options.cwd);
    if (!read.ok) {
      known.forget(read.file);
      diagnostics.push(...pathProblem(display, `cannot be read (${read.code})`).diagnostics);
      continue;
    }
    const checked = known.check(read.file, display, read.text);
    sources.push(checked.source);
    for (const d of checked.diagnostics) diagnostics.push({ ...d });
  }
  known.retainOnly(listing.files);

  const parsed = sources.filter((s) => s.ok);
  const entries = collectEntries(parsed);
  diagnostics.push(...resolveSecrets(entries, options.env));
  const first = entries.autoRecovery[0];
  const ctx: RuleContext = {
    entries,
    complete: parsed.length === listing.files.length,
    hsmByName: firstBy(entries.hsms, 'name'),
    hapgByLabel: firstBy(entries.hapgs, 'label'),
    globalPolicy: first === undefined ? undefined : declaredPolicy(first.value),
  };
  for (const rule of rules) diagnostics.push(...rule.check(ctx));

  const sorted = sortDiagnostics(diagnostics, listing.files.map((f) => displayPath(f, options.cwd)));
  if (sorted.some((d) => d.severity === 'error')) return { diagnostics: sorted };
  return { fleet: buildFleet(entries, ctx.globalPolicy, listing.files), diagnostics: sorted };
}

import { resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import type { DesiredFleet } from '../../config/index.js';
import type { CliIo } from '../io.js';
import { summaryLine, validationDocument } from '../validate.js';
import { writeDiagnostics } from './diagnostics.js';

/** A configuration loaded for a command that acts on it. */
export interface LoadedConfig {
  desired: DesiredFleet;
  /** Absolute path of the file or directory it was loaded from. */
  path: string;
}

/**
 * Loads the configuration at `path` (relative to the working directory). Warnings go to stderr;
 * an invalid configuration prints every located diagnostic and the summary to stderr (and, for a
 * command asked for JSON, the validation document to stdout, so stdout still holds one JSON
 * document) and yields undefined: the command then exits 1 without touching anything.
 */
export async function loadDesired(path: string, io: CliIo, options: { json?: boolean } = {}): Promise<LoadedConfig | undefined> {
  const result = await loadConfig(path, { env: io.env, cwd: io.cwd });
  writeDiagnostics(io.stderr, result.diagnostics, io.env);
  if (result.fleet === undefined) {
    io.stderr.write(`${summaryLine(result)}\n`);
    if (options.json === true) io.stdout.write(`${JSON.stringify(validationDocument(result), null, 2)}\n`);
    return undefined;
  }
  return { desired: result.fleet, path: resolve(io.cwd, path) };
}

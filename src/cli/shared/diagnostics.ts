import { formatDiagnostic } from '../../config/index.js';
import type { Diagnostic } from '../../config/index.js';
import { useColour, type CliIo } from '../io.js';

/**
 * Configuration diagnostics as every command prints them: one `file:line:col: severity: reason`
 * line each, the severity coloured on a terminal (never with NO_COLOR).
 */

/** A diagnostic line with its severity coloured. */
export function colouriseDiagnostic(line: string, d: Diagnostic): string {
  const code = d.severity === 'error' ? '31' : '33';
  return line.replace(` ${d.severity}`, ` \x1b[${code}m${d.severity}\x1b[0m`);
}

/** Writes each diagnostic on its own line to `stream`. */
export function writeDiagnostics(stream: CliIo['stdout'], diagnostics: readonly Diagnostic[], env: CliIo['env']): void {
  const colour = useColour(stream, env);
  for (const d of diagnostics) {
    const line = formatDiagnostic(d);
    stream.write(`${colour ? colouriseDiagnostic(line, d) : line}\n`);
  }
}

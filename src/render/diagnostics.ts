import { formatDiagnostic } from '../config/index.js';
import type { Diagnostic } from '../config/index.js';

/**
 * Configuration diagnostics as every command and watch print them: one `file:line:col severity
 * path: reason` line each, the severity coloured when colour is on.
 */

/** A diagnostic line with its severity coloured. */
function colouriseDiagnostic(line: string, d: Diagnostic): string {
  const code = d.severity === 'error' ? '31' : '33';
  return line.replace(` ${d.severity}`, ` \x1b[${code}m${d.severity}\x1b[0m`);
}

/** Each diagnostic on its own line, ending with a newline (empty for none). */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], colour: boolean): string {
  return diagnostics.map((d) => {
    const line = formatDiagnostic(d);
    return `${colour ? colouriseDiagnostic(line, d) : line}\n`;
  }).join('');
}

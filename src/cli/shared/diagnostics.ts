import type { Diagnostic } from '../../config/index.js';
import { renderDiagnostics } from '../../render/diagnostics.js';
import { useColour, type CliIo } from '../io.js';

/** Writes each diagnostic on its own line to `stream`, coloured on a terminal (never with NO_COLOR). */
export function writeDiagnostics(stream: CliIo['stdout'], diagnostics: readonly Diagnostic[], env: CliIo['env']): void {
  stream.write(renderDiagnostics(diagnostics, useColour(stream, env)));
}

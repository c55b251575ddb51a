import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import type { Diagnostic, LoadResult } from '../config/index.js';
import { UserError } from '../errors.js';
import type { CliIo } from './io.js';
import { writeDiagnostics } from './shared/diagnostics.js';

const usage = `Usage: hsmctl validate [PATH] [--json]

Checks a configuration without touching any device: YAML syntax, the schemas of schemas/,
secret references (they must resolve; their values are never shown) and the fleet's rules.
PATH is a *.yaml / *.yml file or a directory of them (default: the current directory).

Options:
  --json       print one JSON document: { formatVersion, valid, summary, diagnostics }
  -h, --help   this text

Exit status: 0 when the configuration is valid (warnings allowed), 1 when it is not.
`;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function count(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

/** The closing line: the fleet's size when valid, the number of problems otherwise. */
export function summaryLine(result: LoadResult): string {
  const errors = count(result.diagnostics, 'error');
  const warnings = count(result.diagnostics, 'warning');
  const fleet = result.fleet;
  if (fleet === undefined) {
    const tail = warnings > 0 ? `, ${plural(warnings, 'warning')}` : '';
    return `Configuration is invalid: ${plural(errors, 'error')}${tail}.`;
  }
  const size = `${plural(fleet.hsms.length, 'HSM')}, ${plural(fleet.hapgs.length, 'HAPG')}, ${plural(fleet.clients.length, 'client')}`;
  return `Configuration is valid: ${size}${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}.`;
}

/** The `--json` document of a configuration's validation (also what `plan --json` and `apply --json` print for an invalid one). */
export function validationDocument(result: LoadResult): unknown {
  const fleet = result.fleet;
  return {
    formatVersion: 1,
    valid: fleet !== undefined,
    summary: {
      errors: count(result.diagnostics, 'error'),
      warnings: count(result.diagnostics, 'warning'),
      hsms: fleet?.hsms.length ?? null,
      hapgs: fleet?.hapgs.length ?? null,
      clients: fleet?.clients.length ?? null,
    },
    diagnostics: result.diagnostics,
  };
}

/**
 * `hsmctl validate [PATH] [--json]`: loads and checks the configuration and prints every
 * diagnostic, then a summary, on stdout (they are the command's result). Exit 0 when valid.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      // Accepted for symmetry with the other commands; validation never reads the state.
      state: { type: 'string' },
    },
  });
  if (values.help === true) {
    io.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 1) throw new UserError('usage', 'validate takes one PATH at most; run "hsmctl validate --help" for usage');
  const result = await loadConfig(positionals[0] ?? '.', { env: io.env, cwd: io.cwd });
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(validationDocument(result), null, 2)}\n`);
  } else {
    writeDiagnostics(io.stdout, result.diagnostics, io.env);
    io.stdout.write(`${summaryLine(result)}\n`);
  }
  return result.fleet === undefined ? 1 : 0;
}

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../config/index.js';
import { UserError } from '../errors.js';
import { renderDot } from '../render/graph-dot.js';
import { fleetGraph } from '../render/graph-fleet.js';
import { renderMermaid } from '../render/graph-mermaid.js';
import { planGraph } from '../render/graph-plan.js';
import { gather } from '../status/gather.js';
import { fleetStatus } from '../status/index.js';
import { driverAt } from './shared/world.js';
import { stateDirOf } from './io.js';
import type { CliIo } from './io.js';

const usage = `Usage: hsmctl graph [PATH] [--format dot|mermaid] [--plan] [--state DIR]

Draws the fleet as configured, annotated with what the emulated world shows: availability zones
as clusters holding their HSMs, each HAPG linked to its members, each client linked to its
groups and (dotted, "NTL") to every HSM it trusts. A member out of rotation or an unreachable
HSM is dashed red, a degraded group orange, anything declared but absent grey.

With --plan, draws the current plan instead: one node per action (kind and address), an arrow
from each action to the actions that depend on it (the order apply follows).

Options:
  --format F   dot (default; render with "dot -Tsvg") or mermaid (renders in GitHub Markdown)
  --plan       the plan's action DAG instead of the fleet
  --state DIR  the emulated world (default: $HSMCTL_STATE or ./state)
  -h, --help   this text

Exit status: 0 when drawn; 1 when the configuration is invalid or on error.
`;

/** What tests may replace: the emulated world's wall clock. */
export interface GraphDeps {
  now?: () => number;
}

/** `hsmctl graph` with injectable dependencies. */
export async function runGraph(args: string[], io: CliIo, deps: GraphDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'dot' },
      plan: { type: 'boolean' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 1) throw new UserError('usage', 'graph takes one PATH at most; run "hsmctl graph --help" for usage');
  const format = values.format;
  if (format !== 'dot' && format !== 'mermaid') throw new UserError('usage', `unknown --format "${format}" (one of: dot, mermaid)`);
  const gathered = await gather({
    path: positionals[0] ?? '.',
    stateDir: resolve(io.cwd, stateDirOf(values.state, io)),
    env: io.env,
    cwd: io.cwd,
    openDriver: (dir) => driverAt(dir, deps.now),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  if (gathered.desired === undefined || gathered.plan === undefined) {
    for (const d of gathered.diagnostics) if (d.severity === 'error') io.stderr.write(`${formatDiagnostic(d)}\n`);
    io.stderr.write('Error: the graph is drawn from the configuration, and it is invalid; run "hsmctl validate" for details.\n');
    return 1;
  }
  const graph = values.plan === true ? planGraph(gathered.plan) : fleetGraph(gathered.desired, gathered.observed, fleetStatus(gathered));
  io.stdout.write(format === 'dot' ? renderDot(graph) : renderMermaid(graph));
  return 0;
}

/** `hsmctl graph [PATH] [--format dot|mermaid] [--plan] [--state DIR]`. */
export function run(args: string[], io: CliIo): Promise<number> {
  return runGraph(args, io);
}

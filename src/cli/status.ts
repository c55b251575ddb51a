import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { readAppliedRevision } from '../gitops/index.js';
import { renderStatusJson } from '../render/status-json.js';
import { renderStatusText } from '../render/status-text.js';
import { styleFor } from '../render/style.js';
import { gather } from '../status/gather.js';
import { fleetStatus } from '../status/index.js';
import { driverAt } from './shared/world.js';
import { stateDirOf, useColour } from './io.js';
import type { CliIo } from './io.js';

const usage = `Usage: hsmctl status [PATH] [--json] [--state DIR]

The fleet's health, like "vtl haAdmin show" and "vtl verify" on every client at once, with Argo
CD's health and sync columns:

  HAPGs    health (Healthy, Degraded, Missing), sync with the configuration (Synced when the plan
           has no action for the group), members alive / down / recovering / needing manual
           recovery (the worst state any client reports for each member)
  HSMs     name, short id, serial, status, reachability, zeroized, availability zone
  clients  registered groups, autoRecovery policy, recovery attempts used per member

The header names the last applied git revision and whether the fleet is in sync with the
configuration at HEAD (applied commit is HEAD, no uncommitted changes, empty plan). PATH is the
configuration (default: the one last applied to this state, else the current directory); without
a valid one, status shows health only and sync Unknown, saying why.

Options:
  --json       print one JSON document with formatVersion
  --state DIR  the emulated world (default: $HSMCTL_STATE or ./state)
  -h, --help   this text

Exit status: 0 when the fleet is healthy (every HAPG Healthy, every HSM running and reachable);
1 when it is degraded (a member down, recovering or needing manual recovery, a declared HAPG, HSM
or client missing, an HSM unreachable) or on error. Sync does not change the exit status: use
"hsmctl plan --detailed-exitcode" for that.
`;

/** What tests may replace: the emulated world's wall clock. */
export interface StatusDeps {
  now?: () => number;
}

/** `hsmctl status` with injectable dependencies. */
export async function runStatus(args: string[], io: CliIo, deps: StatusDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, state: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    io.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 1) throw new UserError('usage', 'status takes one PATH at most; run "hsmctl status --help" for usage');
  const stateDir = resolve(io.cwd, stateDirOf(values.state, io));
  const gathered = await gather({
    path: positionals[0] ?? (await readAppliedRevision(stateDir).catch(() => undefined))?.configPath ?? '.',
    stateDir,
    env: io.env,
    cwd: io.cwd,
    provenance: true,
    openDriver: (dir) => driverAt(dir, deps.now),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  const status = fleetStatus(gathered);
  if (values.json === true) io.stdout.write(renderStatusJson(status));
  else io.stdout.write(renderStatusText(status, styleFor(useColour(io.stdout, io.env))));
  if (!gathered.worldExists) io.stderr.write(`Note: no emulated world in ${stateDirOf(values.state, io)} yet; nothing has been created.\n`);
  return status.health.status === 'Healthy' ? 0 : 1;
}

/** `hsmctl status [PATH] [--json] [--state DIR]`. */
export function run(args: string[], io: CliIo): Promise<number> {
  return runStatus(args, io);
}

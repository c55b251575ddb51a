import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InternalError, UserError } from '../errors.js';
import { recordInSync } from '../gitops/index.js';
import type { ApplyEvent } from '../reconcile/apply/events.js';
import { DEFAULT_PARALLELISM } from '../reconcile/apply/executor.js';
import { interruptible } from '../reconcile/apply/interruptible.js';
import type { Observation } from '../reconcile/observe.js';
import { reconcileOnce } from '../reconcile/pass.js';
import type { Plan } from '../reconcile/plan/types.js';
import { checkFresh, looksLikeSavedPlan, readSavedPlan, type SavedPlan } from '../reconcile/saved-plan.js';
import { renderApplyJson, renderApplyJsonWithoutRun } from '../render/apply-json.js';
import { progressRenderer } from '../render/apply-progress.js';
import { renderPlanText } from '../render/plan-text.js';
import { formatDuration, parseDuration } from '../duration.js';
import { useColour, type CliIo } from './io.js';
import { isConfigFileName } from '../config/files.js';
import { loadDesired, type LoadedConfig } from './shared/config.js';
import { applyInterrupt } from './shared/interrupt.js';
import { openWorld } from './shared/world.js';

const usage = `Usage: hsmctl apply [PATH | PLANFILE] [options]

Makes the fleet match the configuration at PATH (a *.yaml / *.yml file or a directory; default:
the current directory): takes the state's lock, observes the fleet, plans, shows the plan, asks for
"yes", and carries the actions out in dependency order. With a PLANFILE made by
"hsmctl plan --out FILE", carries out exactly that plan, or refuses if the configuration or the
fleet changed since it was made. Ctrl-C while the actions run lets the device operations already
running finish and starts no other; a second Ctrl-C stops at once. The next apply picks up
where this one stopped.

Options:
  --auto-approve          do not ask for "yes" (needed when there is no terminal, and with --json)
  --allow-destroy         permit destructive actions (deleting HSMs, re-initializing, …)
  --parallelism N         at most N actions at a time (default ${DEFAULT_PARALLELISM})
  --lock-timeout DURATION wait this long for another apply to finish (default: fail at once)
  --json                  print one JSON result document instead of progress
  --state DIR             the emulated world (default: $HSMCTL_STATE or ./state)
  -h, --help              this text

Exit status: 0 when the fleet matches the configuration afterwards, or nothing is left that can
be done before unreachable HSMs answer (what waits for them is listed); 1 otherwise.
`;

interface Options {
  autoApprove: boolean;
  allowDestroy: boolean;
  parallelism: number;
  lockTimeoutMs: number;
  json: boolean;
  state: string | undefined;
}

function parse(args: string[]): { options: Options; target: string | undefined; help: boolean } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'auto-approve': { type: 'boolean' },
      'allow-destroy': { type: 'boolean' },
      parallelism: { type: 'string' },
      'lock-timeout': { type: 'string' },
      json: { type: 'boolean' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 1) throw new UserError('usage', 'apply takes one PATH or PLANFILE at most; run "hsmctl apply --help" for usage');
  const parallelism = values.parallelism === undefined ? DEFAULT_PARALLELISM : Number(values.parallelism);
  if (!/^\d+$/.test(values.parallelism ?? '1') || !Number.isSafeInteger(parallelism) || parallelism < 1) {
    throw new UserError('usage', `--parallelism must be a whole number of at least 1, not "${values.parallelism}"`);
  }
  return {
    help: values.help === true,
    target: positionals[0],
    options: {
      autoApprove: values['auto-approve'] === true,
      allowDestroy: values['allow-destroy'] === true,
      parallelism,
      lockTimeoutMs: values['lock-timeout'] === undefined ? 0 : parseDuration(values['lock-timeout']),
      json: values.json === true,
      state: values.state,
    },
  };
}

/**
 * The saved plan at `target`, if `target` is a plan file rather than configuration. A file not
 * named `*.yaml` / `*.yml` must be a plan: anything else (an empty or truncated download, the
 * output of `plan --json`) is refused, never read as a configuration that declares nothing.
 */
async function savedPlanAt(target: string | undefined, io: CliIo): Promise<SavedPlan | undefined> {
  if (target === undefined) return undefined;
  const abs = resolve(io.cwd, target);
  const info = await stat(abs).catch(() => undefined);
  if (info === undefined || !info.isFile()) return undefined;
  if (looksLikeSavedPlan(await readFile(abs, 'utf8'))) return readSavedPlan(abs, target);
  if (isConfigFileName(abs)) return undefined;
  throw new UserError(
    'plan.unreadable',
    `${target} is not an hsmctl plan file (make one with "hsmctl plan --out FILE"), and a configuration file is named *.yaml or *.yml; nothing was changed`,
  );
}

/** Asks for approval on the terminal; true only for `yes`. */
async function approved(io: CliIo): Promise<boolean> {
  const answer = await io.prompt!(
    '\nDo you want to perform these actions?\n  hsmctl will perform the actions described above.\n  Only \'yes\' will be accepted to approve.\n\n  Enter a value: ',
  );
  return answer.trim() === 'yes';
}

/** `hsmctl apply`: lock, observe, plan (or check a saved plan), approve, execute, confirm. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { options, target, help } = parse(args);
  if (help) {
    io.stdout.write(usage);
    return 0;
  }
  const saved = await savedPlanAt(target, io);
  if (saved !== undefined && options.allowDestroy) {
    throw new UserError('usage', '--allow-destroy is decided when a plan is made: run "hsmctl plan --allow-destroy --out FILE" instead');
  }
  const loaded = await loadDesired(saved?.config.path ?? target ?? '.', io, { json: options.json });
  if (loaded === undefined) return 1;
  if (saved === undefined && !options.autoApprove) {
    if (options.json) throw new UserError('usage', '--json needs --auto-approve (or a saved plan): there is no one to ask for approval');
    if (io.prompt === undefined) {
      throw new UserError(
        'apply.noTerminal',
        'apply needs your approval and there is no terminal to ask on; review the plan with "hsmctl plan", then run "hsmctl apply --auto-approve" ' +
          '(or save it with "hsmctl plan --out FILE" and run "hsmctl apply FILE")',
      );
    }
  }

  const { stateDir, driver } = openWorld(options.state, io);
  return execute(loaded, saved, options, stateDir, driver, io);
}

/** One reconcile pass under the lock: observe, plan (or check the saved plan), approve, execute, confirm. */
async function execute(
  loaded: LoadedConfig,
  saved: SavedPlan | undefined,
  options: Options,
  stateDir: string,
  driver: ReturnType<typeof openWorld>['driver'],
  io: CliIo,
): Promise<number> {
  const colour = useColour(io.stdout, io.env);
  // Ctrl-C while the actions run stops them between two device operations (a second, at once).
  const interrupt = applyInterrupt(io);
  const render = options.json ? undefined : progressRenderer((text) => io.stdout.write(text), { colour });
  const emit = (event: ApplyEvent): void => {
    if (event.type === 'run.started') interrupt.arm();
    if (event.type === 'run.finished') interrupt.disarm();
    render?.(event);
  };
  const pass = await reconcileOnce({
    driver: interruptible(driver, interrupt.signal),
    stopping: interrupt.signal,
    stateDir,
    desired: loaded.desired,
    apply: true,
    allowDestroy: options.allowDestroy,
    parallelism: options.parallelism,
    lock: {
      operation: 'apply',
      timeoutMs: options.lockTimeoutMs,
      onWait: (holder) => io.stderr.write(`Waiting up to ${formatDuration(options.lockTimeoutMs)} for the lock held by ${holder}...\n`),
    },
    ...(saved !== undefined ? { planFor: (observation: Observation) => checkSaved(saved, loaded, observation) } : {}),
    onPlan: (plan) => {
      if (!options.json) io.stdout.write(renderPlanText(plan, { colour }));
    },
    approve: async () => {
      if (saved === undefined && !options.autoApprove && !(await approved(io))) return false;
      if (!options.json) io.stdout.write('\n');
      return true;
    },
    emit,
    onInSync: () => recordInSync(stateDir, loaded.path),
    warn: (message) => io.stderr.write(`Warning: ${message}\n`),
  }).finally(() => interrupt.disarm());
  switch (pass.outcome) {
    case 'in-sync':
      if (options.json) io.stdout.write(renderApplyJsonWithoutRun('no-changes', pass.plan));
      return 0;
    case 'refused':
      if (options.json) io.stdout.write(renderApplyJsonWithoutRun('refused', pass.plan));
      io.stderr.write('Error: the plan was refused as a whole; nothing was changed.\n');
      return 1;
    case 'cancelled':
      io.stdout.write('\nApply cancelled: nothing was changed.\n');
      return 1;
    case 'applied':
      if (options.json) io.stdout.write(renderApplyJson(pass.result, pass.plan));
      return pass.result.outcome === 'complete' || pass.result.outcome === 'held-back' ? 0 : 1;
    case 'pending':
      throw new InternalError('an applying pass ended with its changes pending');
  }
}

/** The saved plan, if it still fits the configuration and the world just observed (else "plan is stale"). */
function checkSaved(saved: SavedPlan, loaded: LoadedConfig, observation: Observation): { plan: Plan; allowDestroy: boolean } {
  checkFresh(saved, loaded.desired, observation);
  return { plan: saved.plan, allowDestroy: saved.options.allowDestroy };
}

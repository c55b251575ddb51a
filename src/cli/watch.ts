import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { DEFAULT_PARALLELISM } from '../reconcile/apply/executor.js';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_INTERVAL_MS, watchFleet, type WatchSettings } from '../watch/loop.js';
import { formatDuration, parseDuration } from '../duration.js';
import type { CliIo } from './io.js';
import { openWorld } from './shared/world.js';

const usage = `Usage: hsmctl watch [PATH] [options]

Plans again whenever the configuration at PATH (a *.yaml / *.yml file or a directory; default:
the current directory) is saved, whenever the emulated world changes out of band (hsmctl emu …),
and every --interval, so drift and failures show up without a save. Every pass re-reads all
configuration files and re-observes the whole fleet. Saves close together are handled by one
pass; passes never overlap. A configuration that does not validate shows its errors and the last
good configuration is kept, as it is when a save declares nothing (a half-written or emptied file
never plans destruction, even with --allow-destroy; "hsmctl apply --allow-destroy" destroys the
fleet).

With --apply each pass also carries its plan out, as "hsmctl apply --auto-approve" would: running
watch --apply is your approval of every non-destructive plan, and it never asks. Destructive plans
are refused unless --allow-destroy is given. Each pass takes the state's lock and releases it when
it ends; when another apply holds it, the pass says so and is retried when the lock is released.

Options:
  --apply                 apply each pass's plan (never prompts; see above)
  --allow-destroy         permit destructive actions (deleting HSMs, re-initializing, …)
  --interval DURATION     re-observe this long after the last pass (default ${formatDuration(DEFAULT_INTERVAL_MS)}; 0 turns it off)
  --parallelism N         at most N actions at a time when applying (default ${DEFAULT_PARALLELISM})
  --lock-timeout DURATION how long a pass waits for another apply's lock (default 1s)
  --state DIR             the emulated world (default: $HSMCTL_STATE or ./state)
  -h, --help              this text

Stop with Ctrl-C (or SIGTERM): the running pass ends between two device operations, the lock is
released, and watch exits 0.
`;

const DEFAULT_LOCK_TIMEOUT_MS = 1_000;

function settingsOf(args: string[], io: CliIo): { settings: Omit<WatchSettings, 'stateDir'>; state: string | undefined } | undefined {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      apply: { type: 'boolean' },
      'allow-destroy': { type: 'boolean' },
      interval: { type: 'string' },
      parallelism: { type: 'string' },
      'lock-timeout': { type: 'string' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(usage);
    return undefined;
  }
  if (positionals.length > 1) throw new UserError('usage', 'watch takes one PATH at most; run "hsmctl watch --help" for usage');
  const parallelism = Number(values.parallelism ?? DEFAULT_PARALLELISM);
  if (!/^\d+$/.test(values.parallelism ?? '1') || !Number.isSafeInteger(parallelism) || parallelism < 1) {
    throw new UserError('usage', `--parallelism must be a whole number of at least 1, not "${values.parallelism}"`);
  }
  const configPath = positionals[0] ?? '.';
  if (!existsSync(resolve(io.cwd, configPath))) throw new UserError('config.missing', `${configPath}: no such file or directory`);
  return {
    state: values.state,
    settings: {
      configPath,
      apply: values.apply === true,
      allowDestroy: values['allow-destroy'] === true,
      parallelism,
      intervalMs: values.interval === undefined ? DEFAULT_INTERVAL_MS : parseDuration(values.interval),
      lockTimeoutMs: values['lock-timeout'] === undefined ? DEFAULT_LOCK_TIMEOUT_MS : parseDuration(values['lock-timeout']),
      debounceMs: DEFAULT_DEBOUNCE_MS,
    },
  };
}

/** `hsmctl watch`: runs until SIGINT or SIGTERM, then exits 0 with the lock released. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = settingsOf(args, io);
  if (parsed === undefined) return 0;
  const { stateDir, driver } = openWorld(parsed.state, io);
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) {
      io.stderr.write('Still stopping: the running pass ends after its current device operation.\n');
      return;
    }
    io.stdout.write(`\nReceived ${signal}: stopping (the running pass, if any, ends between two device operations)…\n`);
    stopping.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await watchFleet({ ...parsed.settings, stateDir }, io, driver, stopping.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  io.stdout.write('Stopped watching.\n');
  return 0;
}

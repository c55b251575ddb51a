import { readFileSync } from 'node:fs';
import { isExpectedError } from '../errors.js';
import type { CliIo, Command } from './io.js';

/**
 * The commands, each loaded only when it runs: `hsmctl --version` or `hsmctl validate` never pays
 * for the emulator, the planner or the file watcher.
 */
const commands: Record<string, () => Promise<{ run: Command }>> = {
  validate: () => import('./validate.js'),
  emu: () => import('./emu.js'),
  status: () => import('./status.js'),
  graph: () => import('./graph.js'),
  plan: () => import('./plan.js'),
  apply: () => import('./apply.js'),
  watch: () => import('./watch.js'),
  'force-unlock': () => import('./force-unlock.js'),
};

const usage = `Usage: hsmctl <command> [options]

Commands:
  validate [PATH]                check the configuration only
  plan     [PATH]                show the actions that would make the fleet match the configuration
  apply    [PATH | PLANFILE]     carry them out
  watch    [PATH]                re-plan (and with --apply, re-apply) on every change
  status                         health of HSMs, HAPGs and clients
  graph    [PATH]                the fleet as a picture (dot or mermaid)
  emu      <subcommand>          act on the emulated devices directly
  force-unlock                   remove a lock left behind

Global options:
  --state DIR                    the emulated world (default: $HSMCTL_STATE or ./state)
  -h, --help                     this text;  hsmctl <command> --help for a command
  -v, --version                  the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The command line with a global `--state DIR` given before the command moved after it, where
 * every command reads it: `hsmctl --state DIR plan` is `hsmctl plan --state DIR`.
 */
function withStateAfterCommand(argv: string[]): string[] {
  const [first, second, ...more] = argv;
  if (first === '--state' && second !== undefined) return [...more.slice(0, 1), '--state', second, ...more.slice(1)];
  if (first?.startsWith('--state=') === true && second !== undefined) return [second, first, ...more];
  return argv;
}

/** Runs one command line and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = withStateAfterCommand(argv);
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`hsmctl ${version()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage);
    return name === undefined ? 1 : 0;
  }
  const load = commands[name];
  if (load === undefined) {
    io.stderr.write(`hsmctl: unknown command "${name}"\n\n${usage}`);
    return 1;
  }
  try {
    const { run } = await load();
    return await run(rest, io);
  } catch (err) {
    if (isExpectedError(err)) {
      io.stderr.write(`Error: ${err.message}\n`);
      return 1;
    }
    // Node's own argument parser reports unknown or malformed options this way.
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`Error: ${argumentsMessage(err.message, String(err.code), name)}\nRun "hsmctl ${name} --help" for usage.\n`);
      return 1;
    }
    io.stderr.write(`hsmctl: internal error (this is a bug):\n${err instanceof Error ? err.stack : String(err)}\n`);
    return 1;
  }
}

/**
 * The argument parser's message. For an unknown option, the command it is unknown to, instead of
 * the parser's advice on passing a path that starts with '-' (rarely what was meant).
 */
function argumentsMessage(message: string, code: string, command: string): string {
  const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '([^']+)'/.exec(message) : null;
  return unknown === null ? message : `Unknown option '${unknown[1]}' for "hsmctl ${command}"`;
}

function processIo(): CliIo {
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  if (process.stdin.isTTY) {
    io.prompt = async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    };
  }
  return io;
}

/** The process entry point: the only place that sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  process.exitCode = await runCli(argv, processIo());
}

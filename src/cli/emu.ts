import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Emulator } from '../fleet/driver.js';
import { stateDirOf, type CliIo } from './io.js';
import { allowFlags, type EmuContext, type EmuSubcommand, parseEmuArgs } from './emu/subcommand.js';
import { advance, fail, latency, reset, restore } from './emu/control.js';
import { conf, keys, ls, show } from './emu/inspect.js';
import { cloudhsm, lunash, vtl } from './emu/shells.js';

/**
 * `hsmctl emu …`: act on the emulated world directly, as an operator would on real devices —
 * run lunash, vtl and CloudHSM CLI commands, cause faults, move the virtual clock. This is how
 * drift and failures are produced in demos and tests.
 */

const SUBCOMMANDS: Record<string, EmuSubcommand> = { ls, show, lunash, vtl, cloudhsm, conf, fail, restore, advance, keys, latency, reset };

function helpText(): string {
  const rows = Object.values(SUBCOMMANDS).map((s) => s.usage.split(/ \| (?=[a-z]+ )/).map((u, i) => [u, i === 0 ? s.summary : '']));
  const lines = rows.flat();
  const width = Math.max(...lines.map(([u = '']) => u.length));
  return [
    'Usage: hsmctl emu <subcommand> [options]',
    '',
    'Act on the emulated HSMs, client instances and CloudHSM control plane directly.',
    '',
    'Subcommands:',
    ...lines.map(([u = '', s = '']) => `  ${u.padEnd(width)}  ${s}`.trimEnd()),
    '',
    'Options:',
    '  --state DIR    the emulated world (default: $HSMCTL_STATE or ./state)',
    '  --json         machine-readable output (ls, show, keys list)',
    '  -h, --help     this text',
    '',
    'Examples:',
    '  hsmctl emu lunash hsm-a -- hsm login -password "$SO" \\; partition list',
    '  hsmctl emu vtl app-1 -- haAdmin -autoRecovery -retry 3 -interval 90',
    '  hsmctl emu fail hsm-b --network && hsmctl emu advance 5m',
    '',
  ].join('\n');
}

/** Runs `hsmctl emu ARGS…`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseEmuArgs(argv);
  if (args.subcommand === undefined || args.subcommand === 'help') {
    (args.flags.has('help') || args.subcommand === 'help' ? io.stdout : io.stderr).write(helpText());
    return args.flags.has('help') || args.subcommand === 'help' ? 0 : 1;
  }
  const subcommand = SUBCOMMANDS[args.subcommand];
  if (subcommand === undefined) {
    throw new UserError('emu.usage', `unknown emu subcommand "${args.subcommand}" (one of: ${Object.keys(SUBCOMMANDS).join(', ')})`);
  }
  if (args.flags.has('help')) {
    io.stdout.write(`Usage: hsmctl emu ${subcommand.usage}\n\n${subcommand.summary}\n`);
    return 0;
  }
  allowFlags(args, subcommand.flags);
  const stateDir = resolve(io.cwd, stateDirOf(args.state, io));
  let opened: Emulator | undefined;
  const context: EmuContext = {
    io,
    args,
    stateDir,
    async emulator() {
      if (opened === undefined) {
        const { openEmulator } = await import('../emulator/index.js');
        opened = openEmulator(stateDir);
      }
      return opened;
    },
  };
  return subcommand.run(context);
}

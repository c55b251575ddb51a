import type { Emulator } from '../../fleet/driver.js';
import type { Hsm, ObservedFleet } from '../../fleet/types.js';
import { findHsm } from '../../fleet/resolve.js';
import { UserError } from '../../errors.js';
import type { CliIo } from '../io.js';

/** The shape of an `hsmctl emu` subcommand: the command line it is given and what it works with. */

/**
 * The command line of `hsmctl emu`: a subcommand, its positional words, a few options
 * (`--state DIR`, `--json`, `--power`, `--network`, `--help`), and for the shell subcommands the
 * words handed to the emulated tool (everything after `--`, or after the target).
 */
export interface EmuArgs {
  /** The subcommand (`ls`, `lunash`, …); undefined when none was given. */
  subcommand: string | undefined;
  /** Positional words after the subcommand. */
  positionals: string[];
  /** `--state DIR`, if given. */
  state: string | undefined;
  /** Boolean options given (`json`, `power`, `network`, `help`). */
  flags: Set<string>;
  /** The tool's words for `lunash`, `vtl` and `cloudhsm`; null for other subcommands. */
  toolWords: string[] | null;
}

/** Subcommands that hand words to an emulated tool, with how many positionals come first. */
const SHELL_TARGETS: Record<string, number> = { lunash: 1, vtl: 1, cloudhsm: 0 };

const FLAGS = new Set(['json', 'power', 'network', 'help']);

/** Splits an `emu` command line. Throws a UserError for an unknown or malformed option. */
export function parseEmuArgs(argv: string[]): EmuArgs {
  const args: EmuArgs = { subcommand: undefined, positionals: [], state: undefined, flags: new Set(), toolWords: null };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    const arity = args.subcommand === undefined ? undefined : SHELL_TARGETS[args.subcommand];
    if (word === '--') {
      if (arity !== undefined) args.toolWords = argv.slice(i + 1);
      else args.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-h' || word.startsWith('--')) {
      const [name = '', inline] = word === '-h' ? ['help'] : word.slice(2).split(/=(.*)/s, 2);
      if (name === 'state') {
        const dir = inline ?? argv[++i];
        if (dir === undefined || dir === '') throw new UserError('emu.usage', '--state needs a directory');
        args.state = dir;
      } else if (FLAGS.has(name) && inline === undefined) {
        args.flags.add(name);
      } else {
        throw new UserError('emu.usage', `unknown option ${/^[\w-]{1,40}$/.test(name) ? `--${name}` : word.slice(0, 2)} (see hsmctl emu --help)`);
      }
      continue;
    }
    if (args.subcommand === undefined) {
      args.subcommand = word;
    } else if (arity !== undefined && args.positionals.length >= arity) {
      // The rest belongs to the emulated tool, `--` or not.
      args.toolWords = argv.slice(i);
      break;
    } else {
      args.positionals.push(word);
    }
  }
  if (args.subcommand !== undefined && SHELL_TARGETS[args.subcommand] !== undefined && args.toolWords === null) args.toolWords = [];
  return args;
}

/** Refuses options a subcommand does not take. */
export function allowFlags(args: EmuArgs, allowed: string[]): void {
  for (const flag of args.flags) {
    if (flag !== 'help' && !allowed.includes(flag)) {
      throw new UserError('emu.usage', `option --${flag} does not apply to "hsmctl emu ${args.subcommand ?? ''}"`);
    }
  }
}

/** The positionals a subcommand needs, exactly; otherwise its usage line in a UserError. */
export function expectPositionals(args: EmuArgs, names: string[], usage: string): string[] {
  if (args.positionals.length !== names.length) {
    const problem = args.positionals.length < names.length ? `missing ${names.slice(args.positionals.length).join(' ')}` : 'too many arguments';
    throw new UserError('emu.usage', `${problem}\nUsage: hsmctl emu ${usage}`);
  }
  return args.positionals;
}

/** What an `hsmctl emu` subcommand works with. */
export interface EmuContext {
  io: CliIo;
  args: EmuArgs;
  /** The state directory, resolved against the working directory. */
  stateDir: string;
  /** The emulated world in `stateDir` (opened on first use). */
  emulator(): Promise<Emulator>;
}

/** One `hsmctl emu` subcommand. */
export interface EmuSubcommand {
  /** Usage after `hsmctl emu `, e.g. `fail HSM [--power | --network]`. */
  usage: string;
  /** One line for `emu --help`. */
  summary: string;
  /** Boolean options it takes besides `--state` and `--help`. */
  flags: string[];
  run(context: EmuContext): Promise<number>;
}

/** The HSM a person names, or a UserError that says where to look. */
export function hsmNamed(fleet: ObservedFleet, ref: string): Hsm {
  const hsm = findHsm(fleet, ref);
  if (!hsm) throw new UserError('emu.notFound', `no HSM is named "${ref}" (see hsmctl emu ls)`);
  return hsm;
}


import type { Emulator } from '../../fleet/driver.js';
import type { Hsm, ObservedFleet } from '../../fleet/types.js';
import { findHsm } from '../../fleet/resolve.js';
import { UserError } from '../../errors.js';
import type { CliIo } from '../io.js';
import type { EmuArgs } from './args.js';

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

/** Prints one JSON document on stdout. */
export function printJson(io: CliIo, document: unknown): void {
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ShellOutput } from '../../emulator/shell/output.js';
import type { CliIo } from '../io.js';
import { type EmuContext, type EmuSubcommand, expectPositionals } from './subcommand.js';

/**
 * `emu lunash`, `emu vtl`, `emu cloudhsm`: a command in the real tool's syntax, answered in its
 * words. Each shell is loaded only when used.
 */

function emit(io: CliIo, output: ShellOutput): number {
  if (output.stdout !== '') io.stdout.write(output.stdout);
  if (output.stderr !== '') io.stderr.write(output.stderr);
  return output.exitCode;
}

function toolWords(context: EmuContext): string[] {
  return context.args.toolWords ?? [];
}

export const lunash: EmuSubcommand = {
  usage: 'lunash HSM -- COMMAND…',
  summary: "a lunash command on that HSM, out of band (';' separates commands of one session)",
  flags: [],
  async run(context) {
    const [hsm = ''] = expectPositionals(context.args, ['HSM'], this.usage);
    const { runLunash } = await import('../../emulator/shell/lunash/index.js');
    return emit(context.io, await runLunash(await context.emulator(), hsm, toolWords(context)));
  },
};

export const vtl: EmuSubcommand = {
  usage: 'vtl CLIENT -- COMMAND…',
  summary: 'a vtl command on that client instance, out of band',
  flags: [],
  async run(context) {
    const [client = ''] = expectPositionals(context.args, ['CLIENT'], this.usage);
    const { runVtl } = await import('../../emulator/shell/vtl/index.js');
    return emit(context.io, await runVtl(await context.emulator(), client, toolWords(context)));
  },
};

export const cloudhsm: EmuSubcommand = {
  usage: 'cloudhsm -- COMMAND…',
  summary: 'a CloudHSM CLI command against the control plane',
  flags: [],
  async run(context) {
    expectPositionals(context.args, [], this.usage);
    const { runCloudHsm } = await import('../../emulator/shell/cloudhsm/index.js');
    const read = (path: string) => readFile(resolve(context.io.cwd, path), 'utf8');
    return emit(context.io, await runCloudHsm(await context.emulator(), toolWords(context), { readFile: read }));
  },
};

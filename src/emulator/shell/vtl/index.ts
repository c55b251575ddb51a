import type { Emulator } from '../../../fleet/driver.js';
import { findClient } from '../../../fleet/resolve.js';
import { commandWords, splitCommands } from '../args.js';
import { OutputBuffer, ShellRefusal, type ShellOutput } from '../output.js';
import { readVtlOptions, vtlErrorText, type VtlCommand, type VtlContext } from './command.js';
import { haAdminCommand } from './haadmin.js';
import { serverCommands } from './servers.js';
import { slotCommands } from './slots.js';

/**
 * vtl, the Luna client's administration tool, run on one client instance. Command names are
 * matched case-insensitively (`vtl listservers` works, as on the real client); `;` runs several
 * in a row, stopping at the first that fails.
 */

const COMMANDS: VtlCommand[] = [...serverCommands, ...slotCommands, haAdminCommand];

function usageText(): string {
  return ['Usage: vtl <command> [options]', '', 'Commands:', ...COMMANDS.map((c) => `   ${c.syntax}`)].join('\n');
}

/** Runs vtl commands on the client instance `clientRef` names (name or ARN). */
export async function runVtl(emulator: Emulator, clientRef: string, argv: string[]): Promise<ShellOutput> {
  const output = new OutputBuffer();
  const commands = splitCommands(commandWords(argv));
  // Before `vtl createCert` an instance exists only as a name: that is the command that makes it.
  const known = findClient(await emulator.describe(), clientRef);
  const makesCert = commands.length > 0 && commands.every((words) => words[0]?.toLowerCase() === 'createcert');
  if (!known && !makesCert) {
    output.fail(`Error: there is no client instance "${clientRef}" (create its certificate with 'vtl createCert -n ${clientRef}').`);
    return output.result();
  }
  const context: VtlContext = { emulator, clientName: known?.name ?? clientRef };
  if (commands.length === 0) {
    output.fail(usageText());
    return output.result();
  }
  for (const [index, [name = '', ...rest]] of commands.entries()) {
    if (index > 0) output.print('');
    try {
      const command = COMMANDS.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!command) {
        const typed = /^[A-Za-z]{1,32}$/.test(name) ? ` "${name}"` : '';
        throw new ShellRefusal(`Error: Unknown command${typed}.\n${usageText()}`);
      }
      const args = command.raw === true ? readVtlOptions({ syntax: command.syntax, options: [] }, []) : readVtlOptions(command, rest);
      output.print(await command.run(context, args, rest));
    } catch (err) {
      output.fail(vtlErrorText(err));
      break;
    }
  }
  return output.result();
}

import type { Emulator } from '../../../fleet/driver.js';
import type { Hsm } from '../../../fleet/types.js';
import { findHsm } from '../../../fleet/resolve.js';
import { commandWords, splitCommands } from '../args.js';
import { OutputBuffer, ShellRefusal, type ShellOutput } from '../output.js';
import { clientCommands } from './client.js';
import { commandName, readOptions, type LunaCommand, type LunaSession } from './command.js';
import { errorText, FAILURE_LINE, SUCCESS_LINE } from './errors.js';
import { hsmCommands } from './hsm.js';
import { partitionCommands } from './partition.js';

/**
 * lunash, the Luna SA appliance shell, as reached over SSH: `ssh manager@<hsm> <command>`. One
 * invocation is one session; several commands separated by `;` share it, so an `hsm login`
 * holds for the commands after it. The first refused command ends the session.
 */

const COMMANDS: LunaCommand[] = [...hsmCommands, ...partitionCommands, ...clientCommands];

/** What `ssh` says when it cannot open a session on the appliance; null when it can. */
function connectionError(hsm: Hsm): string | null {
  const host = hsm.eniIp;
  if (hsm.reachability === 'power-lost') return `ssh: connect to host ${host} port 22: Connection timed out`;
  if (hsm.reachability === 'network-lost') return `ssh: connect to host ${host} port 22: No route to host`;
  if (hsm.status === 'PENDING' || hsm.status === 'TERMINATED' || hsm.status === 'TERMINATING') {
    return `ssh: connect to host ${host} port 22: Connection refused`;
  }
  return null;
}

/** Finds a word among choices: exact (any case), else a unique prefix. */
function pick<T>(choices: T[], typed: string, key: (choice: T) => string): T | undefined {
  const word = typed.toLowerCase();
  const exact = choices.filter((c) => key(c).toLowerCase() === word);
  if (exact.length > 0) return exact[0];
  const prefixed = choices.filter((c) => key(c).toLowerCase().startsWith(word));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** The command two words name, or lunash's refusal of an unknown one. */
function resolveCommand(words: string[]): LunaCommand {
  const [first = '', second = ''] = words;
  const groups = [...new Set(COMMANDS.map((c) => c.words[0]))];
  const group = pick(groups, first, (g) => g);
  const command = group === undefined ? undefined : pick(COMMANDS.filter((c) => c.words[0] === group), second, (c) => c.words[1]);
  if (command === undefined) {
    // Only command-like words are echoed: a mistyped line may hold a password.
    const typed = words.slice(0, 2).filter((w) => /^[A-Za-z]{1,32}$/.test(w)).join(' ');
    throw new ShellRefusal(`Error: Invalid command: ${typed === '' ? '(unrecognised)' : typed}\nType 'help' for a list of the commands this appliance accepts.`);
  }
  return command;
}

/** The `help` listing. */
function helpText(): string {
  return ['', 'Commands:', ...COMMANDS.map((c) => `   ${c.syntax}`), '', "Separate commands with ';' to run them in one session (an 'hsm login' holds for the rest of it)."].join('\n');
}

/** Runs lunash commands on the HSM `hsmRef` names (ARN, short id, serial, name tag or label). */
export async function runLunash(emulator: Emulator, hsmRef: string, argv: string[]): Promise<ShellOutput> {
  const output = new OutputBuffer();
  const hsm = findHsm(await emulator.describe(), hsmRef);
  if (!hsm) {
    output.fail(`ssh: Could not resolve hostname ${hsmRef}: Name or service not known`);
    return output.result();
  }
  const unreachable = connectionError(hsm);
  if (unreachable !== null) {
    output.fail(unreachable);
    return output.result();
  }
  const commands = splitCommands(commandWords(argv));
  if (commands.length === 0) commands.push(['help']);
  const session: LunaSession = { emulator, hsmArn: hsm.arn, soPassword: null, print: (text) => output.print(text) };
  for (const [index, words] of commands.entries()) {
    if (index > 0) output.print('');
    let name = words.slice(0, 2).join(' ');
    try {
      if (words.length === 1 && /^(help|\?)$/i.test(words[0] ?? '')) {
        output.print(`${helpText()}\n\n${SUCCESS_LINE}`);
        continue;
      }
      const command = resolveCommand(words);
      name = commandName(command);
      const text = await command.run(session, readOptions(command, words.slice(2)));
      output.print(`${text.replace(/^\n+|\n+$/g, '')}\n\n${SUCCESS_LINE}`);
    } catch (err) {
      output.fail(`${errorText(name, err)}\n\n${FAILURE_LINE}`);
      break;
    }
  }
  return output.result();
}

import type { Emulator } from '../../../fleet/driver.js';
import { ArgError, commandWords, parseOptions, type ParsedArgs } from '../args.js';
import { OutputBuffer, ShellRefusal, type ShellOutput } from '../output.js';
import { clientCommands } from './client.js';
import { apiErrorText, type CloudHsmCommand, type CloudHsmContext } from './command.js';
import { hapgCommands } from './hapg.js';
import { hsmCommands } from './hsm.js';
import { tagCommands } from './tags.js';

/**
 * The CloudHSM command line against the emulated control plane: `cloudhsm <command> --option
 * value …`, answering with the API's JSON. Argument errors are reported the way its argparse
 * front end reports them; API refusals the way the AWS tools do. Values are never echoed back.
 */

const version: CloudHsmCommand = {
  name: 'version',
  operation: 'Version',
  options: [],
  async run() {
    return { Version: '3.0.5' };
  },
};

const COMMANDS: CloudHsmCommand[] = [...hsmCommands, ...hapgCommands, ...clientCommands, ...tagCommands, version];

/** argparse's usage line of a command. */
function usageLine(command: CloudHsmCommand): string {
  const parts = command.options.map((o) => {
    const text = o.kind === 'flag' ? `--${o.name}` : `--${o.name} ${o.name.toUpperCase().replace(/-/g, '_')}${o.kind === 'list' ? ' …' : ''}`;
    return o.required === true ? text : `[${text}]`;
  });
  return `usage: cloudhsm ${command.name} [-h] ${parts.join(' ')}`.trimEnd();
}

function mainUsage(): string {
  return `usage: cloudhsm <command> [options]\n\ncommands:\n${COMMANDS.map((c) => `  ${c.name}`).join('\n')}`;
}

/** Reads a command's arguments, refusing them in argparse's words. */
function readArgs(command: CloudHsmCommand, words: string[]): ParsedArgs {
  const prog = `cloudhsm ${command.name}`;
  const refuse = (problem: string): never => {
    throw new ShellRefusal(`${usageLine(command)}\n${prog}: error: ${problem}`);
  };
  let args: ParsedArgs;
  try {
    args = parseOptions(words, command.options, 'double');
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    const problem = {
      unknown: `unrecognized arguments: ${err.option}`,
      ambiguous: `ambiguous option: ${err.option}`,
      'missing-value': `argument ${err.option}: expected one argument`,
      duplicate: `argument ${err.option}: given more than once`,
    }[err.kind];
    return refuse(problem);
  }
  // Extra words are not echoed: they are most likely a value with a space in it, perhaps a password.
  if (args.positionals.length > 0) refuse(`unrecognized arguments (${args.positionals.length} extra value${args.positionals.length === 1 ? '' : 's'})`);
  const missing = command.options.filter((o) => o.required === true && !args.values.has(o.name) && !args.lists.has(o.name));
  if (missing.length > 0) refuse(`the following arguments are required: ${missing.map((o) => `--${o.name}`).join(', ')}`);
  return args;
}

/** Typographic dashes before an option (`–group-label`, as in copied runbooks) mean `--`. */
function longDashes(word: string): string {
  return word.replace(/^[\u2012\u2013\u2014\u2212]{1,2}(?=[A-Za-z])/, '--');
}

/** Runs one CloudHSM CLI command line (`create-hsm --subnet-id …`). */
export async function runCloudHsm(emulator: Emulator, argv: string[], options: Pick<CloudHsmContext, 'readFile'>): Promise<ShellOutput> {
  const output = new OutputBuffer();
  const words = commandWords(argv.map(longDashes));
  // Accept a pasted `aws cloudhsm …` or `CloudHSM …` prefix.
  while (words[0] !== undefined && /^(aws|cloudhsm)$/i.test(words[0])) words.shift();
  const [name = '', ...rest] = words;
  if (name === '' || name === '-h' || name === '--help' || name === 'help') {
    (name === '' ? output.fail.bind(output) : output.print.bind(output))(mainUsage());
    return output.result();
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const typed = /^[a-z-]{1,40}$/.test(name) ? `'${name}'` : 'that command';
    output.fail(`${mainUsage()}\ncloudhsm: error: argument command: invalid choice: ${typed}`);
    return output.result();
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    output.print(usageLine(command));
    return output.result();
  }
  try {
    const result = await command.run({ emulator, readFile: options.readFile }, readArgs(command, rest));
    output.print(typeof result === 'string' ? result : JSON.stringify(result, null, 4));
  } catch (err) {
    output.fail(apiErrorText(command.operation, err));
  }
  return output.result();
}

import { UserError } from '../../errors.js';
import { formatDuration, parseDuration } from '../../duration.js';
import { type EmuSubcommand, expectPositionals, hsmNamed } from './subcommand.js';
import { hsmName } from './ls.js';

/** `emu fail`, `restore`, `advance`, `latency`, `reset`: faults, time and the world itself. */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const fail: EmuSubcommand = {
  usage: 'fail HSM [--power | --network]',
  summary: 'take an HSM down (power loss by default)',
  flags: ['power', 'network'],
  async run({ io, args, emulator }) {
    const [ref = ''] = expectPositionals(args, ['HSM'], this.usage);
    if (args.flags.has('power') && args.flags.has('network')) throw new UserError('emu.usage', 'give one of --power or --network, not both');
    const mode = args.flags.has('network') ? 'network' : 'power';
    const emu = await emulator();
    const hsm = hsmNamed(await emu.describe(), ref);
    await emu.fail(hsm.arn, mode);
    const what = mode === 'power' ? 'has lost power' : 'is cut off from the network';
    io.stdout.write(`${hsmName(hsm)} (serial ${hsm.serial}, ${hsm.eniIp}) ${what}.\n`);
    return 0;
  },
};

export const restore: EmuSubcommand = {
  usage: 'restore HSM',
  summary: 'bring a failed HSM back',
  flags: [],
  async run({ io, args, emulator }) {
    const [ref = ''] = expectPositionals(args, ['HSM'], this.usage);
    const emu = await emulator();
    const hsm = hsmNamed(await emu.describe(), ref);
    await emu.restore(hsm.arn);
    const was = hsm.reachability === 'reachable' ? 'was not down' : `was ${hsm.reachability}`;
    io.stdout.write(`${hsmName(hsm)} (serial ${hsm.serial}, ${hsm.eniIp}) is back: power on, network up (it ${was}).\n`);
    return 0;
  },
};

export const advance: EmuSubcommand = {
  usage: 'advance DURATION',
  summary: 'move the virtual clock forward (90s, 5m, 2h, 1h30m)',
  flags: [],
  async run({ io, args, emulator }) {
    const [text = ''] = expectPositionals(args, ['DURATION'], this.usage);
    const ms = parseDuration(text);
    const emu = await emulator();
    await emu.advance(ms);
    io.stdout.write(`Virtual clock advanced by ${formatDuration(ms)}; it is now ${new Date(await emu.now()).toISOString()}.\n`);
    return 0;
  },
};

export const latency: EmuSubcommand = {
  usage: 'latency DURATION',
  summary: 'real time each device operation takes (0 by default; e.g. 50ms)',
  flags: [],
  async run({ io, args, emulator }) {
    const [text = ''] = expectPositionals(args, ['DURATION'], this.usage);
    const ms = parseDuration(text);
    await (await emulator()).setLatency(ms);
    io.stdout.write(ms === 0 ? 'Device operations now take no time.\n' : `Each device operation now takes ${formatDuration(ms)} of real time.\n`);
    return 0;
  },
};

export const reset: EmuSubcommand = {
  usage: 'reset',
  summary: 'an empty world (everything in it is destroyed)',
  flags: [],
  async run({ io, args, stateDir, emulator }) {
    expectPositionals(args, [], this.usage);
    const emu = await emulator();
    const before = await emu.describe();
    await emu.reset();
    const gone = [plural(before.hsms.length, 'HSM'), plural(before.hapgs.length, 'HAPG'), plural(before.clients.length, 'client instance')];
    io.stdout.write(`Reset the emulated world in ${stateDir}: removed ${gone.join(', ')}; clock offset and latency are back to 0.\n`);
    return 0;
  },
};

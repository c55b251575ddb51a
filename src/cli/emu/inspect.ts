import { UserError } from '../../errors.js';
import type { KeyObject, ObservedFleet } from '../../fleet/types.js';
import { findClient, findHapg, findHsm } from '../../fleet/resolve.js';
import { allowFlags, type EmuSubcommand, expectPositionals } from './subcommand.js';
import { hsmName, lsJson, lsText } from './ls.js';
import { resolveResource, showJson, showText } from './show.js';
import { printJson, table } from './table.js';

/** `emu ls`, `emu show`, `emu conf` and `emu keys`: looking at the world (keys create aside). */

export const ls: EmuSubcommand = {
  usage: 'ls [--json]',
  summary: 'devices, clients and HAPGs with status',
  flags: ['json'],
  async run({ io, args, stateDir, emulator }) {
    expectPositionals(args, [], this.usage);
    const fleet = await (await emulator()).describe();
    if (args.flags.has('json')) printJson(io, lsJson(fleet));
    else io.stdout.write(lsText(fleet, stateDir));
    return 0;
  },
};

export const show: EmuSubcommand = {
  usage: 'show NAME|ARN [--json]',
  summary: 'one resource in full (never secrets)',
  flags: ['json'],
  async run({ io, args, emulator }) {
    const [ref = ''] = expectPositionals(args, ['NAME|ARN'], this.usage);
    const fleet = await (await emulator()).describe();
    const found = resolveResource(fleet, ref);
    if (args.flags.has('json')) printJson(io, showJson(found));
    else io.stdout.write(showText(fleet, found));
    return 0;
  },
};

export const conf: EmuSubcommand = {
  usage: 'conf CLIENT',
  summary: "print the client's Chrystoki.conf",
  flags: [],
  async run({ io, args, emulator }) {
    const [ref = ''] = expectPositionals(args, ['CLIENT'], this.usage);
    const client = findClient(await (await emulator()).describe(), ref);
    if (!client) throw new UserError('emu.notFound', `no client instance is named "${ref}" (see hsmctl emu ls)`);
    if (client.configuration === null) {
      throw new UserError('emu.noConfiguration', `${client.name} has no Chrystoki.conf yet: it is written by get-client-configuration (hsmctl apply, or hsmctl emu cloudhsm -- get-client-configuration …)`);
    }
    io.stdout.write(client.configuration.chrystokiConf.endsWith('\n') ? client.configuration.chrystokiConf : `${client.configuration.chrystokiConf}\n`);
    return 0;
  },
};

/** The HSM or HAPG `ref` names, by ARN; a UserError when it names none or both. */
function keyHolder(fleet: ObservedFleet, ref: string): { arn: string; title: string } {
  const hsm = findHsm(fleet, ref);
  const hapg = findHapg(fleet, ref);
  if (hsm && hapg && hsm.arn !== ref && hapg.arn !== ref) throw new UserError('emu.ambiguous', `"${ref}" names an HSM and a HAPG; use its ARN`);
  if (hapg && (!hsm || hapg.arn === ref)) return { arn: hapg.arn, title: `HAPG ${hapg.label}` };
  if (hsm && hsm.reachability !== 'reachable') {
    throw new UserError('emu.unreachable', `HSM ${hsmName(hsm)} is unreachable (${hsm.reachability}): its key objects cannot be read until it is restored`);
  }
  if (hsm) return { arn: hsm.arn, title: `HSM ${hsmName(hsm)}` };
  throw new UserError('emu.notFound', `no HSM or HAPG is named "${ref}" (see hsmctl emu ls)`);
}

/** Who served a request, from the serial the data plane reports (HSM or member partition). */
function servedByText(fleet: ObservedFleet, serial: string): string {
  const hsm = fleet.hsms.find((h) => h.serial === serial || h.partitions.some((p) => p.serial === serial));
  return hsm ? `${hsmName(hsm)} (serial ${hsm.serial})` : serial;
}

function keysTable(objects: KeyObject[]): string {
  return table(
    ['HANDLE', 'LABEL', 'TYPE', 'FINGERPRINT', 'CREATED'],
    objects.map((o) => [String(o.handle), o.label, `${o.keyType}-${o.bits}`, o.fingerprint.slice(0, 16), o.createdAt]),
  );
}

export const keys: EmuSubcommand = {
  usage: 'keys create CLIENT HAPG LABEL | keys list HSM|HAPG [--json]',
  summary: 'create a key object through a HAPG, or list the objects held',
  flags: ['json'],
  async run({ io, args, emulator }) {
    const [action, ...rest] = args.positionals;
    if (action === 'create') {
      allowFlags(args, []);
      const [clientRef = '', hapgRef = '', label = ''] = expectPositionals({ ...args, positionals: rest }, ['CLIENT', 'HAPG', 'LABEL'], 'keys create CLIENT HAPG LABEL');
      const emu = await emulator();
      const fleet = await emu.describe();
      const client = findClient(fleet, clientRef);
      const hapg = findHapg(fleet, hapgRef);
      if (!client) throw new UserError('emu.notFound', `no client instance is named "${clientRef}" (see hsmctl emu ls)`);
      if (!hapg) throw new UserError('emu.notFound', `no HAPG is named "${hapgRef}" (see hsmctl emu ls)`);
      const { object, servedBy } = await emu.createKey({ clientName: client.name, hapgLabel: hapg.label, label });
      const after = await emu.describe();
      io.stdout.write(
        `Created key object handle ${object.handle} "${object.label}" (${object.keyType}-${object.bits}) through HAPG ${hapg.label} from ${client.name}.\nServed by ${servedByText(after, servedBy)}; mirrored to every live member.\n`,
      );
      return 0;
    }
    if (action === 'list') {
      const [ref = ''] = expectPositionals({ ...args, positionals: rest }, ['HSM|HAPG'], 'keys list HSM|HAPG [--json]');
      const emu = await emulator();
      const holder = keyHolder(await emu.describe(), ref);
      const objects = await emu.listKeys(holder.arn);
      if (args.flags.has('json')) printJson(io, { formatVersion: 1, holder: holder.arn, objects });
      else io.stdout.write(objects.length === 0 ? `${holder.title} holds no key objects.\n` : `${holder.title} holds ${objects.length} key object${objects.length === 1 ? '' : 's'}:\n${keysTable(objects)}\n`);
      return 0;
    }
    throw new UserError('emu.usage', `keys needs "create" or "list"\nUsage: hsmctl emu ${this.usage}`);
  },
};

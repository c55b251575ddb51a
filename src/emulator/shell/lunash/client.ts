import type { Hsm, RegisteredClient } from '../../../fleet/types.js';
import type { OptionSpec } from '../args.js';
import { ShellRefusal } from '../output.js';
import { currentHsm, required, requireForce, type LunaCommand, type LunaSession } from './command.js';
import { failedLine, refuse } from './errors.js';

/**
 * lunash `client …` commands: the HSM side of a Network Trust Link (register, delete, list, show,
 * fingerprint) and partition assignments (assignPartition, revokePartition).
 */

const CLIENT: OptionSpec = { name: 'client', kind: 'value', aliases: ['c'] };
const PARTITION: OptionSpec = { name: 'partition', kind: 'value', aliases: ['par'] };

/** The registered client, or lunash's "does not exist" refusal for `command`. */
async function registered(session: LunaSession, command: string, id: string): Promise<{ hsm: Hsm; client: RegisteredClient }> {
  const hsm = await currentHsm(session);
  const client = hsm.clients.find((c) => c.id === id);
  if (!client) refuse(command, 'RC_OBJECT_NOT_IN_LIST', 'Specified client does not exist.');
  return { hsm, client };
}

/** `D9:9E:25:…` from any hex spelling of a fingerprint. */
export function colonHex(fingerprint: string): string {
  const hex = fingerprint.replace(/^sha256:/i, '').replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{1,2}/g)?.join(':') ?? fingerprint;
}

const register: LunaCommand = {
  words: ['client', 'register'],
  syntax: 'client register -client <client name> -hostname <hostname>',
  options: [CLIENT, { name: 'hostname', kind: 'value' }, { name: 'ip', kind: 'value' }],
  async run(session, args) {
    const clientName = required(this, args, 'client');
    const hostname = args.values.get('hostname') ?? args.values.get('ip') ?? required(this, args, 'hostname');
    const hsm = await currentHsm(session);
    if (hsm.clients.some((c) => c.id === clientName)) {
      refuse('client register', 'RC_OBJECT_ALREADY_EXISTS', `A client named ${clientName} is already registered.`);
    }
    await session.emulator.registerClientOnHsm({ hsmArn: session.hsmArn, clientName, hostname });
    return "'client register' successful.";
  },
};

const remove: LunaCommand = {
  words: ['client', 'delete'],
  syntax: 'client delete -client <client name> [-force]',
  options: [CLIENT, { name: 'force', kind: 'flag' }],
  async run(session, args) {
    const clientName = required(this, args, 'client');
    await registered(session, 'client delete', clientName);
    requireForce(args, `CAUTION:  Are you sure you wish to delete client named:\n            ${clientName}`, 'delete the client');
    await session.emulator.deleteClientOnHsm({ hsmArn: session.hsmArn, clientName });
    return "'client delete' successful.";
  },
};

const list: LunaCommand = {
  words: ['client', 'list'],
  syntax: 'client list',
  options: [],
  async run(session) {
    const hsm = await currentHsm(session);
    if (hsm.clients.length === 0) return '\nNo clients are registered.\n';
    return `\n${hsm.clients.map((c, i) => `registered client ${i + 1}: ${c.id}`).join('\n')}\n`;
  },
};

const show: LunaCommand = {
  words: ['client', 'show'],
  syntax: 'client show -client <client name>',
  options: [CLIENT],
  async run(session, args) {
    const { client } = await registered(session, 'client show', required(this, args, 'client'));
    const partitions = client.partitions.length === 0 ? '<none>' : client.partitions.map((p) => `"${p}"`).join(', ');
    return ['', `ClientID:     ${client.id}`, `Hostname:     ${client.hostname}`, 'HTL Required: no', 'OTT Expiry:   n/a', `Partitions:   ${partitions}`, ''].join('\n');
  },
};

const fingerprint: LunaCommand = {
  words: ['client', 'fingerprint'],
  syntax: 'client fingerprint -client <client name>',
  options: [CLIENT],
  async run(session, args) {
    const id = required(this, args, 'client');
    const hsm = await currentHsm(session);
    const client = hsm.clients.find((c) => c.id === id);
    if (!client) {
      throw new ShellRefusal(
        `Error: The client you specified does not exist.\n        Use 'client list' to list all available clients.\n${failedLine('client fingerprint', 'RC_OBJECT_NOT_IN_LIST')}`,
      );
    }
    return `\nCertificate fingerprint: ${colonHex(client.certificateFingerprint)}\n`;
  },
};

/** `client assignPartition` and `client revokePartition`, which differ only in direction. */
function assignment(verb: 'assignPartition' | 'revokePartition'): LunaCommand {
  return {
    words: ['client', verb],
    syntax: `client ${verb} -client <client name> -partition <partition name>`,
    options: [CLIENT, PARTITION],
    async run(session, args) {
      const command = `client ${verb}`;
      const clientName = required(this, args, 'client');
      const partitionName = required(this, args, 'partition');
      const { hsm, client } = await registered(session, command, clientName);
      if (!hsm.partitions.some((p) => p.name === partitionName)) {
        refuse(command, 'RC_OBJECT_NOT_IN_LIST', 'Specified partition does not exist.');
      }
      const assigned = client.partitions.includes(partitionName);
      if (verb === 'assignPartition') {
        if (assigned) refuse(command, 'RC_OBJECT_ALREADY_EXISTS', `Partition ${partitionName} is already assigned to client ${clientName}.`);
        await session.emulator.assignPartition({ hsmArn: session.hsmArn, clientName, partitionName });
      } else {
        if (!assigned) refuse(command, 'RC_OBJECT_NOT_IN_LIST', `Partition ${partitionName} is not assigned to client ${clientName}.`);
        await session.emulator.revokePartition({ hsmArn: session.hsmArn, clientName, partitionName });
      }
      return `'${command}' successful.`;
    },
  };
}

/** The `client` command group. */
export const clientCommands: LunaCommand[] = [register, remove, list, show, fingerprint, assignment('assignPartition'), assignment('revokePartition')];

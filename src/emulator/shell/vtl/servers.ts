import { CLIENT_CERT_DIR, certified, need, observe, usage, vtlError, type VtlCommand } from './command.js';

/**
 * vtl commands for the client side of a Network Trust Link: the client certificate
 * (`createCert`) and the list of trusted appliances (`addServer`, `deleteServer`, `listServers`).
 */

const createCert: VtlCommand = {
  name: 'createCert',
  syntax: 'createCert -n <client name>',
  options: [{ name: 'n', kind: 'value' }],
  async run(context, args) {
    const name = need(this, args, 'n');
    if (name !== context.clientName) {
      usage(this, `This instance is ${context.clientName}; its certificate must carry that name (-n ${context.clientName}).`);
    }
    await context.emulator.createCert(name);
    return [
      `Private Key created and written to: ${CLIENT_CERT_DIR}/${name}Key.pem`,
      '',
      `Certificate created and written to: ${CLIENT_CERT_DIR}/${name}.pem`,
    ].join('\n');
  },
};

const addServer: VtlCommand = {
  name: 'addServer',
  syntax: 'addServer -n <server IP or hostname> -c <server certificate file>',
  options: [
    { name: 'n', kind: 'value' },
    { name: 'c', kind: 'value' },
    { name: 'htl', kind: 'flag' },
  ],
  async run(context, args) {
    const host = need(this, args, 'n');
    need(this, args, 'c');
    const { fleet, client } = await certified(context);
    if (client.servers.some((s) => s.host === host)) vtlError(`Server ${host} is already in the server list.`);
    // The certificate given with -c is the one copied from that appliance (scp manager@<ip>:server.pem).
    const hsm = fleet.hsms.find((h) => h.eniIp === host);
    if (!hsm) vtlError(`Unable to add server ${host}: the certificate file does not belong to a Luna SA at that address.`);
    await context.emulator.addServer({ clientName: context.clientName, hsmArn: hsm.arn });
    return `New server ${host} successfully added to server list.`;
  },
};

const deleteServer: VtlCommand = {
  name: 'deleteServer',
  syntax: 'deleteServer -n <server IP or hostname>',
  options: [{ name: 'n', kind: 'value' }],
  async run(context, args) {
    const host = need(this, args, 'n');
    const { client } = await observe(context);
    if (!client || !client.servers.some((s) => s.host === host)) vtlError(`Server ${host} is not in the server list.`);
    await context.emulator.deleteServer({ clientName: context.clientName, host });
    return `Server ${host} successfully removed from server list.`;
  },
};

const listServers: VtlCommand = {
  name: 'listServers',
  syntax: 'listServers',
  options: [],
  async run(context) {
    const { client } = await observe(context);
    const servers = client?.servers ?? [];
    if (servers.length === 0) return 'There are no servers in the server list.';
    return servers.map((s) => `Server: ${s.host}  HTL required: no`).join('\n');
  },
};

/** The NTL commands. */
export const serverCommands: VtlCommand[] = [createCert, addServer, deleteServer, listServers];

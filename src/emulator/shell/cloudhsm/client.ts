import { basename } from 'node:path';
import type { ClientInstance } from '../../../fleet/types.js';
import { clientOf, hapgOf, invalidRequest, value, type CloudHsmCommand } from './command.js';

/**
 * CloudHSM CLI client commands: create-client, describe-client, list-clients, delete-client,
 * register-client-to-hapg, deregister-client-from-hapg, get-client-configuration.
 */

/** Where `get-client-configuration` puts its files unless told otherwise (5.3 client). */
const DEFAULT_CONFIG_DIR = '/etc/';
const DEFAULT_CERT_DIR = '/usr/safenet/lunaclient/cert/server';

/** `DescribeLunaClient`'s answer (PascalCase, as the API returns it). */
export function describeClientJson(client: ClientInstance & { arn: string }): Record<string, unknown> {
  return {
    ClientArn: client.arn,
    CertificateFingerprint: client.certificateFingerprint,
    Label: client.name,
  };
}

const createClient: CloudHsmCommand = {
  name: 'create-client',
  operation: 'CreateLunaClient',
  options: [
    { name: 'certificate-file', kind: 'value', required: true },
    { name: 'label', kind: 'value', aliases: ['name'] },
  ],
  async run(context, args) {
    // The certificate is the one `vtl createCert -n NAME` wrote to cert/client/NAME.pem on the instance.
    const file = value(args, 'certificate-file');
    const name = args.values.get('label') ?? basename(file).replace(/\.pem$/, '');
    const fleet = await context.emulator.describe();
    const instance = fleet.clients.find((c) => c.name === name);
    if (!instance || instance.certificateFingerprint === null) {
      invalidRequest(`Could not read a client certificate from ${file}: no client instance ${name} has one (run 'vtl createCert -n ${name}' on it).`);
    }
    const { clientArn } = await context.emulator.createClient({ name });
    return { ClientArn: clientArn };
  },
};

const describeClient: CloudHsmCommand = {
  name: 'describe-client',
  operation: 'DescribeLunaClient',
  options: [
    { name: 'client-arn', kind: 'value' },
    { name: 'certificate-fingerprint', kind: 'value' },
  ],
  async run(context, args) {
    const fleet = await context.emulator.describe();
    const byFingerprint = args.values.get('certificate-fingerprint');
    const ref = args.values.get('client-arn') ?? fleet.clients.find((c) => c.arn !== null && c.certificateFingerprint === byFingerprint)?.arn ?? undefined;
    if (ref === undefined) {
      invalidRequest(byFingerprint === undefined ? 'Either ClientArn or CertificateFingerprint must be given.' : `No client has certificate fingerprint ${byFingerprint}`);
    }
    return describeClientJson(clientOf(fleet, ref));
  },
};

const listClients: CloudHsmCommand = {
  name: 'list-clients',
  operation: 'ListLunaClients',
  options: [],
  async run(context) {
    const fleet = await context.emulator.describe();
    return { ClientList: fleet.clients.flatMap((c) => (c.arn === null ? [] : [c.arn])) };
  },
};

const deleteClient: CloudHsmCommand = {
  name: 'delete-client',
  operation: 'DeleteLunaClient',
  options: [{ name: 'client-arn', kind: 'value', required: true }],
  async run(context, args) {
    const client = clientOf(await context.emulator.describe(), value(args, 'client-arn'));
    await context.emulator.deleteClient(client.arn);
    return { Status: `Deletion of client ${client.arn} successful` };
  },
};

/** register- and deregister-client-to/from-hapg, which differ only in direction. */
function registration(direction: 'register' | 'deregister'): CloudHsmCommand {
  const register = direction === 'register';
  return {
    name: register ? 'register-client-to-hapg' : 'deregister-client-from-hapg',
    operation: register ? 'RegisterClientToHapg' : 'DeregisterClientFromHapg',
    options: [
      { name: 'client-arn', kind: 'value', required: true },
      { name: 'hapg-arn', kind: 'value', required: true },
    ],
    async run(context, args) {
      const fleet = await context.emulator.describe();
      const client = clientOf(fleet, value(args, 'client-arn'));
      const hapg = hapgOf(fleet, value(args, 'hapg-arn'));
      const input = { clientArn: client.arn, hapgArn: hapg.arn };
      if (register) await context.emulator.registerClientToHapg(input);
      else await context.emulator.deregisterClientFromHapg(input);
      return register
        ? { Status: `Registration of the client ${client.arn} to the HA partition group ${hapg.arn} successful` }
        : { Status: `Deregistration of the client ${client.arn} from the HA partition group ${hapg.arn} successful` };
    },
  };
}

const getClientConfiguration: CloudHsmCommand = {
  name: 'get-client-configuration',
  operation: 'GetConfig',
  options: [
    { name: 'client-arn', kind: 'value', required: true },
    { name: 'hapg-arn', kind: 'list', required: true, aliases: ['hapg-list'] },
    { name: 'cert-directory', kind: 'value' },
    { name: 'config-directory', kind: 'value' },
    { name: 'client-version', kind: 'value' },
  ],
  async run(context, args) {
    const version = args.values.get('client-version');
    if (version !== undefined && version !== '5.1' && version !== '5.3') invalidRequest(`ClientVersion must be 5.1 or 5.3, not ${version}.`);
    const fleet = await context.emulator.describe();
    const client = clientOf(fleet, value(args, 'client-arn'));
    const hapgArns = (args.lists.get('hapg-arn') ?? []).map((ref) => hapgOf(fleet, ref).arn);
    await context.emulator.getClientConfiguration({ clientArn: client.arn, hapgArns });
    return [
      `The configuration file has been copied to ${args.values.get('config-directory') ?? DEFAULT_CONFIG_DIR}`,
      `The server certificate has been copied to ${args.values.get('cert-directory') ?? DEFAULT_CERT_DIR}`,
    ].join('\n');
  },
};

/** The client commands. */
export const clientCommands: CloudHsmCommand[] = [
  createClient,
  describeClient,
  listClients,
  deleteClient,
  registration('register'),
  registration('deregister'),
  getClientConfiguration,
];

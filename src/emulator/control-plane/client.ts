import type { Tags } from '../../fleet/types.js';
import { assignTo, registerClient } from '../appliance/clients.js';
import { renderClientConfiguration } from '../client/chrystoki.js';
import { invalidRequest } from '../errors.js';
import { startGroups } from '../ha/startup.js';
import { arnOf, drawHex, drawUnique } from '../world/ids.js';
import { requireClient, requireClientArn, requireHapg } from '../world/lookup.js';
import { requireAnswering } from '../world/status.js';
import type { ClientDoc, HapgDoc, HsmDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { checkTags } from './tags.js';

/**
 * CloudHSM Classic clients: `create-client`, `delete-client`, `register-client-to-hapg`,
 * `deregister-client-from-hapg`, `get-client-configuration`.
 */

/** `create-client --certificate-file <name>.pem`: needs the instance's certificate. */
export function createClient(ctx: Ctx, input: { name: string; tags?: Tags }): { clientArn: string } {
  const { world } = ctx;
  const client = requireClient(world, input.name);
  if (client.certificate === null) throw invalidRequest(`No certificate for client ${input.name}: run vtl createCert first.`);
  if (client.arn !== null) throw invalidRequest(`A client with this certificate already exists: ${client.arn}.`);
  const tags = input.tags ?? {};
  checkTags(tags);
  const taken = (id: string) => Object.values(world.clients).some((c) => c.arn !== null && c.arn.endsWith(`:${id}`));
  const id = drawUnique(() => `client-${drawHex(world.meta, 8)}`, taken);
  client.arn = arnOf(world.meta, id);
  client.tags = { ...tags };
  return { clientArn: client.arn };
}

/** `delete-client`: refused while the client is registered to a HAPG. The instance stays. */
export function deleteClient(ctx: Ctx, clientArn: string): void {
  const client = requireClientArn(ctx.world, clientArn);
  if (client.hapgArns.length > 0) {
    throw invalidRequest(`The client ${client.arn} is registered to HA partition groups (${client.hapgArns.join(', ')}). Deregister it first.`);
  }
  const doc: ClientDoc = client;
  doc.arn = null;
  doc.tags = {};
}

function memberHsms(ctx: Ctx, hapg: HapgDoc): { hsm: HsmDoc; partitionName: string }[] {
  return hapg.members.map((m) => {
    const hsm = ctx.world.hsms[m.hsmId];
    if (hsm === undefined) throw invalidRequest(`The HSM of partition ${m.partitionSerial} no longer exists.`);
    requireAnswering(ctx, hsm);
    return { hsm, partitionName: m.partitionName };
  });
}

/** `register-client-to-hapg`: on every member, register the client and assign the partition if needed. */
export function registerClientToHapg(ctx: Ctx, input: { clientArn: string; hapgArn: string }): void {
  const client = requireClientArn(ctx.world, input.clientArn);
  const hapg = requireHapg(ctx.world, input.hapgArn);
  for (const { hsm, partitionName } of memberHsms(ctx, hapg)) {
    if (!hsm.partitions.some((p) => p.name === partitionName)) {
      throw invalidRequest(`The partition ${partitionName} is missing on the HSM ${hsm.arn}.`);
    }
    if (!hsm.clients.some((c) => c.id === client.name)) registerClient(ctx, hsm, client.name, client.name);
    if (!hsm.clients.some((c) => c.id === client.name && c.partitions.includes(partitionName))) assignTo(hsm, client.name, partitionName);
  }
  if (!client.hapgArns.includes(hapg.arn)) client.hapgArns.push(hapg.arn);
  if (!hapg.registeredClientArns.includes(client.arn)) hapg.registeredClientArns.push(client.arn);
}

/**
 * `deregister-client-from-hapg`: on every member, revoke the partition and delete the client
 * from an HSM where it has no partition left.
 */
export function deregisterClientFromHapg(ctx: Ctx, input: { clientArn: string; hapgArn: string }): void {
  const client = requireClientArn(ctx.world, input.clientArn);
  const hapg = requireHapg(ctx.world, input.hapgArn);
  if (!client.hapgArns.includes(hapg.arn)) {
    throw invalidRequest(`The client ${client.arn} is not registered to the HA partition group ${hapg.arn}.`);
  }
  for (const m of hapg.members) {
    const hsm = ctx.world.hsms[m.hsmId];
    const link = hsm?.clients.find((c) => c.id === client.name);
    if (hsm === undefined || link === undefined) continue;
    requireAnswering(ctx, hsm);
    link.partitions = link.partitions.filter((p) => p !== m.partitionName);
    if (link.partitions.length === 0) hsm.clients = hsm.clients.filter((c) => c !== link);
  }
  client.hapgArns = client.hapgArns.filter((a) => a !== hapg.arn);
  hapg.registeredClientArns = hapg.registeredClientArns.filter((a) => a !== client.arn);
}

/**
 * `get-client-configuration`: the client's server list becomes the members of the requested
 * HAPGs (their server certificates go to `CAFile.pem`), `Chrystoki.conf` is written with one
 * virtual token per HAPG, and the client library restarts on it.
 */
export function getClientConfiguration(ctx: Ctx, input: { clientArn: string; hapgArns: string[] }): { configFile: string; configCred: string } {
  const client = requireClientArn(ctx.world, input.clientArn);
  const hapgs = input.hapgArns.map((arn) => requireHapg(ctx.world, arn));
  for (const hapg of hapgs) {
    if (!client.hapgArns.includes(hapg.arn)) {
      throw invalidRequest(`The client ${client.arn} is not registered to the HA partition group ${hapg.arn}.`);
    }
  }
  const servers = new Map<string, HsmDoc>();
  for (const hapg of hapgs) {
    for (const m of hapg.members) {
      const hsm = ctx.world.hsms[m.hsmId];
      if (hsm !== undefined && !servers.has(hsm.eniIp)) servers.set(hsm.eniIp, hsm);
    }
  }
  client.servers = [...servers.values()].map((hsm) => ({ host: hsm.eniIp, certificate: { ...hsm.serverCertificate } }));
  startGroups(ctx, client, hapgs);
  client.configuration = renderClientConfiguration(client);
  return { configFile: client.configuration.chrystokiConf, configCred: client.configuration.caFile };
}

import { lunaError, notFound } from '../errors.js';
import { requireHsm } from '../world/lookup.js';
import { requireAnswering } from '../world/status.js';
import type { ApplianceClientDoc, HsmDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';

/**
 * The HSM side of Network Trust Links (`client register|delete|assignPartition|revokePartition`).
 * Appliance-administrator commands: no SO login, but the appliance must answer. Doing something
 * that is already done is refused as lunash refuses it; the reconciler checks first.
 */

function registered(hsm: HsmDoc, clientName: string): ApplianceClientDoc {
  const client = hsm.clients.find((c) => c.id === clientName);
  if (client === undefined) throw lunaError('RC_OBJECT_NOT_IN_LIST', `no client named ${clientName} is registered`);
  return client;
}

/** Registers a client, with the certificate its instance made (`vtl createCert`). */
export function registerClient(ctx: Ctx, hsm: HsmDoc, clientName: string, hostname: string): void {
  const instance = ctx.world.clients[clientName];
  if (instance?.certificate == null) throw notFound('Client certificate', `${clientName}.pem`);
  if (hsm.clients.some((c) => c.id === clientName)) {
    throw lunaError('RC_OBJECT_ALREADY_EXISTS', `a client named ${clientName} is already registered`);
  }
  hsm.clients.push({ id: clientName, hostname, certificateFingerprint: instance.certificate.fingerprint, partitions: [] });
}

/** Assigns a partition of this HSM to a registered client. */
export function assignTo(hsm: HsmDoc, clientName: string, partitionName: string): void {
  const client = registered(hsm, clientName);
  if (!hsm.partitions.some((p) => p.name === partitionName)) {
    throw lunaError('RC_OBJECT_NOT_IN_LIST', `no partition named ${partitionName}`);
  }
  if (client.partitions.includes(partitionName)) {
    throw lunaError('RC_OBJECT_ALREADY_EXISTS', `partition ${partitionName} is already assigned to ${clientName}`);
  }
  client.partitions.push(partitionName);
}

/** `client register -client ID -hostname HOST`. */
export function registerClientOnHsm(ctx: Ctx, input: { hsmArn: string; clientName: string; hostname: string }): void {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  requireAnswering(ctx, hsm);
  registerClient(ctx, hsm, input.clientName, input.hostname);
}

/** `client delete -client ID`. */
export function deleteClientOnHsm(ctx: Ctx, input: { hsmArn: string; clientName: string }): void {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  requireAnswering(ctx, hsm);
  registered(hsm, input.clientName);
  hsm.clients = hsm.clients.filter((c) => c.id !== input.clientName);
}

/** `client assignPartition -client ID -partition NAME`. */
export function assignPartition(ctx: Ctx, input: { hsmArn: string; clientName: string; partitionName: string }): void {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  requireAnswering(ctx, hsm);
  assignTo(hsm, input.clientName, input.partitionName);
}

/** `client revokePartition -client ID -partition NAME`. */
export function revokePartition(ctx: Ctx, input: { hsmArn: string; clientName: string; partitionName: string }): void {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  requireAnswering(ctx, hsm);
  const client = registered(hsm, input.clientName);
  if (!client.partitions.includes(input.partitionName)) {
    throw lunaError('RC_OBJECT_NOT_IN_LIST', `partition ${input.partitionName} is not assigned to ${input.clientName}`);
  }
  client.partitions = client.partitions.filter((p) => p !== input.partitionName);
}

import type { HaSettings } from '../../fleet/types.js';
import { vtlError } from '../errors.js';
import { isUsable } from '../ha/reach.js';
import { markAlive, schedule } from '../ha/recovery.js';
import { synchronizeGroup } from '../ha/sync.js';
import { makeCertificate } from '../world/certs.js';
import { requireClient, requireHsm } from '../world/lookup.js';
import { requireAnswering } from '../world/status.js';
import type { ClientDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { refreshConfiguration } from './chrystoki.js';

/**
 * `vtl` on a client instance. An instance comes into being with `vtl createCert`; every other
 * command needs it. Commands that change the server list or HA settings rewrite the instance's
 * `Chrystoki.conf` (once one has been written), as vtl edits the file in place.
 */

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

/** HA settings of a new client instance: autoRecovery off, as the Luna client ships. */
export const DEFAULT_HA_SETTINGS: HaSettings = { autoRecovery: false, retry: 0, interval: 60, haOnly: true };

/** `vtl createCert -n NAME`: the instance and its client certificate (kept if it exists). */
export function createCert(ctx: Ctx, clientName: string): { certificateFingerprint: string } {
  if (!CLIENT_NAME.test(clientName)) {
    throw vtlError(`Invalid client name "${clientName}": 2 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
  }
  const existing = ctx.world.clients[clientName];
  if (existing?.certificate != null) return { certificateFingerprint: existing.certificate.fingerprint };
  const client: ClientDoc = existing ?? {
    name: clientName,
    arn: null,
    certificate: null,
    tags: {},
    servers: [],
    hapgArns: [],
    ha: { ...DEFAULT_HA_SETTINGS },
    groups: [],
    configuration: null,
  };
  client.certificate = makeCertificate(ctx.world.meta);
  ctx.world.clients[clientName] = client;
  return { certificateFingerprint: client.certificate.fingerprint };
}

/** `vtl addServer -n IP -c server.pem` with the HSM's current server certificate (scp'd from it). */
export function addServer(ctx: Ctx, input: { clientName: string; hsmArn: string }): void {
  const client = requireClient(ctx.world, input.clientName);
  const hsm = requireHsm(ctx.world, input.hsmArn);
  requireAnswering(ctx, hsm);
  if (client.servers.some((s) => s.host === hsm.eniIp)) {
    throw vtlError(`Error: server ${hsm.eniIp} is already in the server list.`);
  }
  client.servers.push({ host: hsm.eniIp, certificate: { ...hsm.serverCertificate } });
  refreshConfiguration(client);
}

/** `vtl deleteServer -n IP`. */
export function deleteServer(ctx: Ctx, input: { clientName: string; host: string }): void {
  const client = requireClient(ctx.world, input.clientName);
  if (!client.servers.some((s) => s.host === input.host)) {
    throw vtlError(`Error: server ${input.host} is not in the server list.`);
  }
  client.servers = client.servers.filter((s) => s.host !== input.host);
  refreshConfiguration(client);
}

/** Throws vtl's refusal of an out-of-range retry or interval. */
export function checkHaSettings(settings: HaSettings): void {
  const { retry, interval } = settings;
  if (!Number.isInteger(retry) || retry < -1 || retry > 500) {
    throw vtlError(`Error: invalid retry count ${retry}. The value must be -1 (infinite) or between 0 and 500.`);
  }
  if (!Number.isInteger(interval) || interval < 60 || interval > 1200) {
    throw vtlError(`Error: invalid interval ${interval}. The value must be between 60 and 1200 seconds.`);
  }
}

/** `vtl haAdmin -autoRecovery -retry N -interval S` (or `-disable`); reschedules members that are down. */
export function setHaSettings(ctx: Ctx, input: { clientName: string; settings: HaSettings }): void {
  const client = requireClient(ctx.world, input.clientName);
  checkHaSettings(input.settings);
  const { autoRecovery, retry, interval, haOnly } = input.settings;
  client.ha = { autoRecovery, retry, interval, haOnly };
  for (const group of client.groups) {
    for (const member of group.members) {
      if (member.state === 'down' || member.state === 'recovering') schedule(client, group, member, ctx.now);
    }
  }
  refreshConfiguration(client);
}

/**
 * `vtl haAdmin -recover -group G -serial S`: manual recovery of one member (named by HSM or
 * partition serial). Refused while the client cannot use it; brings it back and resynchronises.
 */
export function recoverMember(ctx: Ctx, input: { clientName: string; hapgLabel: string; hsmSerial: string }): void {
  const client = requireClient(ctx.world, input.clientName);
  const group = client.groups.find((g) => g.label === input.hapgLabel || g.serial === input.hapgLabel || g.hapgArn === input.hapgLabel);
  if (group === undefined) throw vtlError(`Error: no HA group ${input.hapgLabel} is configured on this client.`);
  const member = group.members.find((m) => m.hsmSerial === input.hsmSerial || m.partitionSerial === input.hsmSerial);
  if (member === undefined) throw vtlError(`Error: ${input.hsmSerial} is not a member of HA group ${group.label}.`);
  if (!isUsable(ctx, client, member)) {
    throw vtlError(`Error: recovery of member ${member.hsmSerial} of HA group ${group.label} failed: the member is not reachable.`);
  }
  markAlive(member);
  synchronizeGroup(ctx, client, group);
}

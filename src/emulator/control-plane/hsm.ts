import type { CreateHsmInput, InitializeHsmInput } from '../../fleet/driver.js';
import { SO_LOGIN_ATTEMPTS } from '../appliance/login.js';
import { invalidRequest } from '../errors.js';
import { makeCertificate } from '../world/certs.js';
import { arnOf, drawDigits, drawHex, drawUnique } from '../world/ids.js';
import { requireHsm } from '../world/lookup.js';
import { freeIp, subnetFor } from '../world/network.js';
import { hashSecret } from '../world/secrets.js';
import { isPending, requireAnswering } from '../world/status.js';
import type { HsmDoc } from '../world/types.js';
import type { Ctx } from '../world/world.js';
import { checkTags } from './tags.js';

/** CloudHSM Classic HSM lifecycle: `create-hsm`, `initialize-hsm`, `delete-hsm`. */

/** What `describe-hsm` reports as the software version and vendor. */
export const SOFTWARE_VERSION = '5.3.13';
export const VENDOR = 'SafeNet';

const LABEL = /^[A-Za-z0-9_.-]{1,64}$/;

/** `create-hsm`: a new HSM, or the one an earlier call with the same client token made. */
export function createHsm(ctx: Ctx, input: CreateHsmInput): { hsmArn: string } {
  const { world, now } = ctx;
  const { meta } = world;
  if (!/^[\x21-\x7e]{1,64}$/.test(input.clientToken)) {
    throw invalidRequest('ClientToken must be 1 to 64 printable characters.');
  }
  const earlier = Object.values(world.hsms).find((h) => h.clientToken === input.clientToken);
  if (earlier !== undefined) return { hsmArn: earlier.arn };
  const tags = input.tags ?? {};
  checkTags(tags);
  const { subnetId, subnet } = subnetFor(meta, input.availabilityZone, input.subnetId);
  const hsms = Object.values(world.hsms);
  const id = drawUnique(() => `hsm-${drawHex(meta, 8)}`, (v) => world.hsms[v] !== undefined);
  const serial = drawUnique(() => drawDigits(meta, 6), (v) => hsms.some((h) => h.serial === v));
  const eniId = drawUnique(() => `eni-${drawHex(meta, 8)}`, (v) => hsms.some((h) => h.eniId === v));
  const hsm: HsmDoc = {
    id,
    arn: arnOf(meta, id),
    serial,
    clientToken: input.clientToken,
    availabilityZone: input.availabilityZone,
    subnetId,
    eniId,
    eniIp: freeIp(world, subnet),
    sshPublicKey: input.sshPublicKey ?? null,
    syslogIp: input.syslogIp ?? null,
    softwareVersion: SOFTWARE_VERSION,
    vendor: VENDOR,
    createdAt: now,
    seq: ++meta.created,
    tags: { ...tags },
    faults: { power: 'on', network: 'up' },
    zeroized: true,
    label: null,
    cloningDomainHash: null,
    soPasswordHash: null,
    soLoginAttemptsLeft: SO_LOGIN_ATTEMPTS,
    serverCertificate: makeCertificate(meta),
    partitionCounter: 0,
    partitions: [],
    clients: [],
  };
  world.hsms[id] = hsm;
  return { hsmArn: hsm.arn };
}

/**
 * `initialize-hsm`: `hsm init` on a zeroized, RUNNING HSM. Sets label, cloning domain and SO
 * password; wipes anything registered on the appliance since it was zeroized.
 */
export function initializeHsm(ctx: Ctx, input: InitializeHsmInput): void {
  const hsm = requireHsm(ctx.world, input.hsmArn);
  if (isPending(hsm, ctx.world.meta, ctx.now)) {
    throw invalidRequest(`The HSM ${hsm.arn} is in state PENDING. It can be initialized once it is RUNNING.`);
  }
  if (!LABEL.test(input.label)) {
    throw invalidRequest(`Invalid label "${input.label}": 1 to 64 letters, digits, "_", "." or "-".`);
  }
  if (!hsm.zeroized) {
    throw invalidRequest(`The HSM ${hsm.arn} is not zeroized. An HSM must be zeroized before it can be initialized.`);
  }
  requireAnswering(ctx, hsm);
  if (input.soPassword.length === 0) throw invalidRequest('The SO password must not be empty.');
  if (input.cloningDomain.length === 0) throw invalidRequest('The cloning domain must not be empty.');
  hsm.zeroized = false;
  hsm.label = input.label;
  hsm.cloningDomainHash = hashSecret(input.cloningDomain);
  hsm.soPasswordHash = hashSecret(input.soPassword);
  hsm.soLoginAttemptsLeft = SO_LOGIN_ATTEMPTS;
  hsm.partitions = [];
  hsm.clients = [];
}

/** `delete-hsm`: only a zeroized HSM; it leaves every HAPG it was a member of. */
export function deleteHsm(ctx: Ctx, hsmArn: string): void {
  const hsm = requireHsm(ctx.world, hsmArn);
  if (!hsm.zeroized) {
    throw invalidRequest(`The HSM ${hsm.arn} is not zeroized. Zeroize the HSM before deleting it.`);
  }
  for (const hapg of Object.values(ctx.world.hapgs)) {
    hapg.members = hapg.members.filter((m) => m.hsmId !== hsm.id);
  }
  delete ctx.world.hsms[hsm.id];
}

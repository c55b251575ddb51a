import type { ClientInstance, Hapg, Hsm, ObservedFleet } from '../fleet/types.js';
import { hapgSerial, hapgState } from './control-plane/hapg.js';
import { iso } from './world/ids.js';
import { answers, hsmStatus, reachabilityOf } from './world/status.js';
import type { ClientDoc, HapgDoc, HsmDoc } from './world/types.js';
import type { Ctx } from './world/world.js';

/**
 * The world as a driver reports it (`ObservedFleet`): never a secret, and of an appliance that
 * does not answer only what the control plane knows (its partitions and clients are unknown, so
 * reported empty; `reachability` says why).
 */

function observeHsm(ctx: Ctx, hsm: HsmDoc): Hsm {
  const visible = answers(hsm, ctx.world.meta, ctx.now);
  return {
    arn: hsm.arn,
    serial: hsm.serial,
    status: hsmStatus(hsm, ctx.world.meta, ctx.now),
    reachability: reachabilityOf(hsm),
    availabilityZone: hsm.availabilityZone,
    subnetId: hsm.subnetId,
    eniId: hsm.eniId,
    eniIp: hsm.eniIp,
    softwareVersion: hsm.softwareVersion,
    vendor: hsm.vendor,
    clientToken: hsm.clientToken,
    zeroized: hsm.zeroized,
    label: hsm.label,
    soLoginAttemptsLeft: hsm.soLoginAttemptsLeft,
    serverCertificateFingerprint: hsm.serverCertificate.fingerprint,
    partitions: visible ? hsm.partitions.map((p) => ({ name: p.name, serial: p.serial, objectCount: p.objects.length, objectHandles: p.objects.map((o) => o.handle) })) : [],
    clients: visible ? hsm.clients.map((c) => ({ ...c, partitions: [...c.partitions] })) : [],
    tags: { ...hsm.tags },
  };
}

function observeHapg(ctx: Ctx, hapg: HapgDoc): Hapg {
  return {
    arn: hapg.arn,
    label: hapg.label,
    serial: hapgSerial(hapg),
    state: hapgState(ctx.world, hapg, ctx.now),
    members: hapg.members.map((m) => ({ hsmArn: ctx.world.hsms[m.hsmId]?.arn ?? '', hsmSerial: m.hsmSerial, partitionName: m.partitionName, partitionSerial: m.partitionSerial })),
    registeredClientArns: [...hapg.registeredClientArns],
    tags: { ...hapg.tags },
  };
}

function observeClient(client: ClientDoc): ClientInstance {
  return {
    name: client.name,
    arn: client.arn,
    certificateFingerprint: client.certificate?.fingerprint ?? null,
    servers: client.servers.map((s) => ({ host: s.host, serverCertificateFingerprint: s.certificate.fingerprint })),
    hapgArns: [...client.hapgArns],
    ha: { ...client.ha },
    haStatus: client.groups.map((g) => ({
      hapgLabel: g.label,
      groupNumber: g.serial,
      members: g.members.map((m) => ({
        hsmSerial: m.hsmSerial,
        state: m.state,
        attempts: m.attempts,
        connectedAtStartup: m.connectedAtStartup,
        nextAttemptAt: m.nextAttemptAt === null ? null : iso(m.nextAttemptAt),
      })),
    })),
    configuration: client.configuration === null ? null : { ...client.configuration },
    tags: { ...client.tags },
  };
}

const byCreation = <T extends { seq: number }>(a: T, b: T): number => a.seq - b.seq;

/** The whole world at `ctx.now`. */
export function observe(ctx: Ctx): ObservedFleet {
  const { world } = ctx;
  return {
    observedAt: iso(ctx.now),
    region: world.meta.region,
    account: world.meta.account,
    hsms: Object.values(world.hsms).sort(byCreation).map((h) => observeHsm(ctx, h)),
    hapgs: Object.values(world.hapgs).sort(byCreation).map((g) => observeHapg(ctx, g)),
    clients: Object.values(world.clients).sort((a, b) => a.name.localeCompare(b.name)).map(observeClient),
  };
}

import { UserError } from '../../errors.js';
import type { ClientInstance, Hapg, Hsm, ObservedFleet } from '../../fleet/types.js';
import { findClient, findHapg, findHsm, shortId } from '../../fleet/resolve.js';
import { autoRecoveryText, hsmName } from './ls.js';
import { fields, tagList } from './table.js';

/**
 * `hsmctl emu show NAME|ARN`: one HSM, HAPG or client instance in full. The observed world holds
 * no secrets, so nothing here can print one.
 */

/** A resource of the world, tagged with its kind. */
export type Resource = { kind: 'hsm'; resource: Hsm } | { kind: 'hapg'; resource: Hapg } | { kind: 'client'; resource: ClientInstance };

/** The one resource `ref` names; a UserError when none or several kinds match. */
export function resolveResource(fleet: ObservedFleet, ref: string): Resource {
  const hsm = findHsm(fleet, ref);
  const hapg = findHapg(fleet, ref);
  const client = findClient(fleet, ref);
  const found: Resource[] = [];
  if (hsm) found.push({ kind: 'hsm', resource: hsm });
  if (hapg) found.push({ kind: 'hapg', resource: hapg });
  if (client) found.push({ kind: 'client', resource: client });
  const [only] = found;
  if (only === undefined) throw new UserError('emu.notFound', `no HSM, HAPG or client instance is named "${ref}" (see hsmctl emu ls)`);
  if (found.length > 1) {
    throw new UserError('emu.ambiguous', `"${ref}" names ${found.map((f) => `a ${f.kind === 'hsm' ? 'HSM' : f.kind === 'hapg' ? 'HAPG' : 'client'}`).join(' and ')}; use its ARN`);
  }
  return only;
}

function hsmText(fleet: ObservedFleet, hsm: Hsm): string {
  const hapgOf = (partition: string) => fleet.hapgs.find((g) => g.members.some((m) => m.hsmArn === hsm.arn && m.partitionName === partition));
  return fields(`HSM ${hsmName(hsm)}`, [
    ['ARN', hsm.arn],
    ['Serial', hsm.serial],
    ['Status', `${hsm.status} (${hsm.reachability})`],
    ['Availability zone', hsm.availabilityZone],
    ['Subnet', hsm.subnetId],
    ['ENI', `${hsm.eniId} ${hsm.eniIp}`],
    ['Software', `${hsm.softwareVersion} (${hsm.vendor})`],
    ['Label', hsm.zeroized ? '(zeroized)' : (hsm.label ?? '-')],
    ['SO login attempts left', String(hsm.soLoginAttemptsLeft)],
    ['Server certificate', hsm.serverCertificateFingerprint],
    ['Client token', hsm.clientToken],
    ['Tags', tagList(hsm.tags)],
    [
      'Partitions',
      hsm.partitions.map((p) => {
        const group = hapgOf(p.name);
        return `${p.name}  serial ${p.serial}  ${p.objectCount} object${p.objectCount === 1 ? '' : 's'}${group ? `  (HAPG ${group.label})` : ''}`;
      }),
    ],
    ['Registered clients', hsm.clients.map((c) => `${c.id}  hostname ${c.hostname}  partitions ${c.partitions.length === 0 ? '<none>' : c.partitions.join(', ')}`)],
  ]);
}

function hapgText(fleet: ObservedFleet, hapg: Hapg): string {
  return fields(`HAPG ${hapg.label}`, [
    ['ARN', hapg.arn],
    ['Serial', hapg.serial === '' ? '- (no members)' : hapg.serial],
    ['State', hapg.state],
    ['Tags', tagList(hapg.tags)],
    [
      'Members',
      hapg.members.map((m) => {
        const hsm = fleet.hsms.find((h) => h.arn === m.hsmArn);
        return `${hsm ? hsmName(hsm) : shortId(m.hsmArn)}  serial ${m.hsmSerial}  partition ${m.partitionName} (${m.partitionSerial})${hsm && hsm.reachability !== 'reachable' ? `  ${hsm.reachability}` : ''}`;
      }),
    ],
    ['Registered clients', hapg.registeredClientArns.map((arn) => fleet.clients.find((c) => c.arn === arn)?.name ?? shortId(arn))],
  ]);
}

function clientText(fleet: ObservedFleet, client: ClientInstance): string {
  return fields(`Client ${client.name}`, [
    ['ARN', client.arn ?? '- (create-client has not run)'],
    ['Certificate', client.certificateFingerprint ?? '- (vtl createCert has not run)'],
    ['HAPGs', client.hapgArns.length === 0 ? 'none' : client.hapgArns.map((arn) => fleet.hapgs.find((g) => g.arn === arn)?.label ?? shortId(arn)).join(', ')],
    ['autoRecovery', autoRecoveryText(client.ha)],
    ['Only HA slots', client.ha.haOnly ? 'yes' : 'no'],
    ['Chrystoki.conf', client.configuration === null ? 'not written' : `written (hsmctl emu conf ${client.name})`],
    ['Tags', tagList(client.tags)],
    ['Trusted servers', client.servers.map((s) => `${s.host}  server certificate ${s.serverCertificateFingerprint}`)],
    [
      'HA groups',
      client.haStatus.flatMap((g) => [
        `${g.hapgLabel} (HA group number ${g.groupNumber})`,
        ...g.members.map((m) => `  ${m.hsmSerial}  ${m.state}  attempts ${m.attempts}${m.nextAttemptAt === null ? '' : `  next attempt ${m.nextAttemptAt}`}`),
      ]),
    ],
  ]);
}

/** The text of `emu show`. */
export function showText(fleet: ObservedFleet, found: Resource): string {
  if (found.kind === 'hsm') return `${hsmText(fleet, found.resource)}\n`;
  if (found.kind === 'hapg') return `${hapgText(fleet, found.resource)}\n`;
  return `${clientText(fleet, found.resource)}\n`;
}

/** The `--json` document of `emu show`. */
export function showJson(found: Resource) {
  return { formatVersion: 1, kind: found.kind, resource: found.resource };
}

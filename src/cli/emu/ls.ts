import type { ClientInstance, Hapg, HaSettings, Hsm, ObservedFleet } from '../../fleet/types.js';
import { shortId } from '../../fleet/resolve.js';
import { NAME_TAG } from '../../fleet/tags.js';
import { table } from './table.js';

/** `hsmctl emu ls`: the HSMs, HAPGs and client instances of the emulated world, one line each. */

/** How a person refers to an HSM: its configuration name, else its short id. */
export function hsmName(hsm: Hsm): string {
  return hsm.tags[NAME_TAG] ?? shortId(hsm.arn);
}

/** `on (retry 3, every 90s)` / `off`. */
export function autoRecoveryText(ha: HaSettings): string {
  return ha.autoRecovery ? `on (retry ${ha.retry === -1 ? 'forever' : ha.retry}, every ${ha.interval}s)` : 'off';
}

/** One row of the HSM table, as data (`--json`) and as cells. */
export function hsmRow(hsm: Hsm) {
  return {
    name: hsm.tags[NAME_TAG] ?? null,
    id: shortId(hsm.arn),
    arn: hsm.arn,
    serial: hsm.serial,
    availabilityZone: hsm.availabilityZone,
    ip: hsm.eniIp,
    status: hsm.status,
    reachability: hsm.reachability,
    label: hsm.label,
    zeroized: hsm.zeroized,
  };
}

export function hapgRow(fleet: ObservedFleet, hapg: Hapg) {
  return {
    label: hapg.label,
    id: shortId(hapg.arn),
    arn: hapg.arn,
    serial: hapg.serial,
    state: hapg.state,
    members: hapg.members.map((m) => {
      const hsm = fleet.hsms.find((h) => h.arn === m.hsmArn);
      return hsm ? hsmName(hsm) : m.hsmSerial;
    }),
  };
}

export function clientRow(fleet: ObservedFleet, client: ClientInstance) {
  return {
    name: client.name,
    id: client.arn === null ? null : shortId(client.arn),
    arn: client.arn,
    groups: client.hapgArns.map((arn) => fleet.hapgs.find((g) => g.arn === arn)?.label ?? shortId(arn)),
    autoRecovery: { enabled: client.ha.autoRecovery, retry: client.ha.retry, interval: client.ha.interval },
  };
}

/** The `--json` document of `emu ls`. */
export function lsJson(fleet: ObservedFleet) {
  return {
    formatVersion: 1,
    observedAt: fleet.observedAt,
    hsms: fleet.hsms.map(hsmRow),
    hapgs: fleet.hapgs.map((g) => hapgRow(fleet, g)),
    clients: fleet.clients.map((c) => clientRow(fleet, c)),
  };
}

/** The text of `emu ls`. */
export function lsText(fleet: ObservedFleet, stateDir: string): string {
  const section = (title: string, count: number, body: () => string) => `${title} (${count})\n${count === 0 ? '  none' : body()}`;
  const hsms = section('HSMs', fleet.hsms.length, () =>
    table(
      ['NAME', 'ID', 'SERIAL', 'AZ', 'IP', 'STATUS', 'REACHABILITY', 'LABEL'],
      fleet.hsms.map((h) => [h.tags[NAME_TAG] ?? '-', shortId(h.arn), h.serial, h.availabilityZone, h.eniIp, h.status, h.reachability, h.zeroized ? '(zeroized)' : (h.label ?? '-')]),
    ),
  );
  const hapgs = section('HAPGs', fleet.hapgs.length, () =>
    table(
      ['LABEL', 'ID', 'SERIAL', 'STATE', 'MEMBERS'],
      fleet.hapgs.map((g) => {
        const row = hapgRow(fleet, g);
        return [row.label, row.id, row.serial === '' ? '-' : row.serial, row.state, row.members.length === 0 ? '-' : row.members.join(', ')];
      }),
    ),
  );
  const clients = section('Clients', fleet.clients.length, () =>
    table(
      ['NAME', 'ID', 'GROUPS', 'AUTORECOVERY'],
      fleet.clients.map((c) => {
        const row = clientRow(fleet, c);
        return [row.name, row.id ?? '-', row.groups.length === 0 ? '-' : row.groups.join(', '), autoRecoveryText(c.ha)];
      }),
    ),
  );
  return `Emulated world in ${stateDir} at ${fleet.observedAt}\n\n${hsms}\n\n${hapgs}\n\n${clients}\n`;
}

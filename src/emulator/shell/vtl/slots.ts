import type { ClientInstance, ObservedFleet } from '../../../fleet/types.js';
import { certified, vtlError, type VtlCommand } from './command.js';

/**
 * vtl commands that show what the client can reach: `verify` (the partitions of every trusted
 * appliance that registered this client) and `listSlots` (those plus the HA virtual slots).
 */

/** A partition slot the client reaches over a working Network Trust Link. */
export interface PartitionSlot {
  serial: string;
  label: string;
}

/**
 * Partitions reachable now: the appliance is trusted (same server certificate), answers, has this
 * client registered with this certificate, and assigned the partition to it.
 */
export function partitionSlots(fleet: ObservedFleet, client: ClientInstance): PartitionSlot[] {
  const slots: PartitionSlot[] = [];
  for (const server of client.servers) {
    const hsm = fleet.hsms.find((h) => h.eniIp === server.host);
    if (!hsm || hsm.reachability !== 'reachable' || hsm.serverCertificateFingerprint !== server.serverCertificateFingerprint) continue;
    const registration = hsm.clients.find((c) => c.id === client.name && c.certificateFingerprint === client.certificateFingerprint);
    if (!registration) continue;
    for (const partition of hsm.partitions) {
      if (registration.partitions.includes(partition.name)) slots.push({ serial: partition.serial, label: partition.name });
    }
  }
  return slots;
}

const verify: VtlCommand = {
  name: 'verify',
  syntax: 'verify',
  options: [],
  async run(context) {
    const { fleet, client } = await certified(context);
    const slots = partitionSlots(fleet, client);
    if (slots.length === 0) vtlError('Unable to find any Luna SA slots/partitions among the registered Luna SA servers.');
    return [
      'The following Luna SA Slots/Partitions were found:',
      '',
      'Slot    Serial #         Label',
      '====    =========        ============',
      ...slots.map((s, i) => `${String(i + 1).padEnd(8)}${s.serial.padEnd(17)}${s.label}`),
    ].join('\n');
  },
};

const listSlots: VtlCommand = {
  name: 'listSlots',
  syntax: 'listSlots',
  options: [],
  async run(context) {
    const { fleet, client } = await certified(context);
    const rows: Array<[description: string, label: string, serial: string]> = [];
    if (!client.ha.haOnly) for (const s of partitionSlots(fleet, client)) rows.push(['LunaNet Slot', s.label, s.serial]);
    for (const group of client.haStatus) rows.push(['HA Virtual Card Slot', group.hapgLabel, group.groupNumber]);
    const lines = rows.map(
      ([description, label, serial], i) => `${`slot #${i + 1}`.padEnd(8)} ${description.padEnd(20)} ${label.padEnd(32)} ${serial.padEnd(16)} Present`,
    );
    return [
      `Number of slots: ${rows.length}`,
      '',
      'The following slots were found:',
      '',
      `${'Slot #'.padEnd(8)} ${'Description'.padEnd(20)} ${'Label'.padEnd(32)} ${'Serial #'.padEnd(16)} Status`,
      `${'='.repeat(8)} ${'='.repeat(20)} ${'='.repeat(32)} ${'='.repeat(16)} ${'='.repeat(12)}`,
      ...lines,
    ].join('\n');
  },
};

/** The slot commands. */
export const slotCommands: VtlCommand[] = [verify, listSlots];

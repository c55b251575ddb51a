import { renderChrystokiConf } from '../../fleet/chrystoki.js';
import type { ClientDoc } from '../world/types.js';

/**
 * The client instance's generated files, rendered from its current state with the shared
 * renderer (`src/fleet/chrystoki.ts`, the one the planner uses): `Chrystoki.conf` from the server
 * list, the configured HA groups and the HA settings; `CAFile.pem` from the trusted servers'
 * certificates.
 */

/** `CAFile.pem`: the trusted servers' certificates, concatenated in server-list order. */
export function renderCaFile(certificates: string[]): string {
  return certificates.join('');
}

/** The configuration files of a client as its current state renders them. */
export function renderClientConfiguration(client: ClientDoc): { chrystokiConf: string; caFile: string } {
  return {
    chrystokiConf: renderChrystokiConf({
      clientName: client.name,
      servers: client.servers.map((s) => s.host),
      groups: client.groups.map((g) => ({ label: g.label, serial: g.serial, members: g.members.map((m) => m.partitionSerial) })),
      ha: client.ha,
    }),
    caFile: renderCaFile(client.servers.map((s) => s.certificate.pem)),
  };
}

/** Re-renders the files of a client that has been configured (vtl edits them in place). */
export function refreshConfiguration(client: ClientDoc): void {
  if (client.configuration !== null) client.configuration = renderClientConfiguration(client);
}

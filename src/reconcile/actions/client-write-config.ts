import { renderChrystokiConf, withoutHaConfiguration } from '../../fleet/chrystoki.js';
import type { ClientInstance, Hapg, ObservedFleet } from '../../fleet/types.js';
import { findHapgOf, requireClientArn, requireHapgOf } from './resolve.js';
import { ALREADY_THERE, type ActionHandler } from './types.js';

/**
 * `get-client-configuration` for the client's groups: writes `Chrystoki.conf` and `CAFile.pem`,
 * makes the group members the client's servers and restarts its HA view. Done when the file
 * already reads as that call would write it and the server list is already the members'.
 */
export const clientWriteConfig: ActionHandler<'client.writeConfig'> = {
  describe: () => ({ doing: 'Writing Chrystoki.conf', done: 'Chrystoki.conf written' }),
  async apply(action, ctx) {
    const p = action.params;
    const fleet = await ctx.observe();
    const { client, arn } = requireClientArn(fleet, p.clientName);
    const hapgs = p.hapgLabels.map((label) => {
      const recorded = p.hapgArns[label];
      return (recorded !== undefined ? findHapgOf(fleet, { hapgLabel: label, hapgArn: recorded }) : undefined) ?? requireHapgOf(fleet, { hapgLabel: label });
    });
    if (isWritten(fleet, client, hapgs)) return ALREADY_THERE;
    await ctx.driver.getClientConfiguration({ clientArn: arn, hapgArns: hapgs.map((g) => g.arn) });
    return 'written';
  },
};

/** Whether the client's files and servers are what `get-client-configuration` would make now. */
function isWritten(fleet: ObservedFleet, client: ClientInstance, hapgs: Hapg[]): boolean {
  const current = client.configuration?.chrystokiConf;
  if (current === undefined) return false;
  const hosts = new Set<string>();
  for (const g of hapgs) {
    for (const m of g.members) {
      const ip = fleet.hsms.find((h) => h.arn === m.hsmArn)?.eniIp;
      if (ip !== undefined) hosts.add(ip);
    }
  }
  const servers = new Set(client.servers.map((s) => s.host));
  if (servers.size !== hosts.size || [...hosts].some((h) => !servers.has(h))) return false;
  const expected = renderChrystokiConf({
    clientName: client.name,
    servers: [...hosts],
    groups: hapgs.map((g) => ({ label: g.label, serial: g.serial, members: g.members.map((m) => m.partitionSerial) })),
    ha: client.ha,
  });
  return withoutHaConfiguration(expected) === withoutHaConfiguration(current);
}

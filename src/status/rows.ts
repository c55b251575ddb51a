import type { DesiredFleet } from '../config/types.js';
import type { Hsm, ObservedFleet } from '../fleet/types.js';
import { isManaged } from '../fleet/tags.js';
import { shortId } from '../fleet/resolve.js';
import { byText, type Pairing } from './names.js';
import type { ClientMemberView, ClientRow, HsmRow } from './types.js';

/**
 * HSM rows (`hsm show` of every appliance, in short) and client rows (`vtl haAdmin show` of every
 * client instance): declared resources first paired with what stands for them, then the rest of
 * the world, so nothing on the devices goes unseen.
 */

function hsmRow(name: string, h: Hsm, declared: boolean): HsmRow {
  return {
    name,
    arn: h.arn,
    serial: h.serial,
    status: h.status,
    reachability: h.reachability,
    zeroized: h.zeroized,
    availabilityZone: h.availabilityZone,
    declared,
    managed: isManaged(h.tags),
  };
}

/** Every HSM row, sorted by name. */
export function hsmRows(observed: ObservedFleet, desired: DesiredFleet | undefined, pairing: Pairing): HsmRow[] {
  const rows: HsmRow[] = [];
  for (const d of desired?.hsms ?? []) {
    const h = pairing.hsmOf.get(d.name);
    if (h !== undefined) rows.push(hsmRow(d.name, h, true));
    else {
      rows.push({ name: d.name, arn: null, serial: null, status: null, reachability: null, zeroized: null, availabilityZone: d.availabilityZone, declared: true, managed: false });
    }
  }
  const paired = new Set([...pairing.hsmOf.values()].map((h) => h.arn));
  for (const h of observed.hsms) if (!paired.has(h.arn)) rows.push(hsmRow(pairing.hsmNameByArn.get(h.arn)!, h, false));
  return rows.sort((a, b) => byText(a.name, b.name) || byText(a.arn ?? '', b.arn ?? ''));
}

/** Every client row, sorted by name. */
export function clientRows(observed: ObservedFleet, desired: DesiredFleet | undefined, pairing: Pairing): ClientRow[] {
  const declared = new Set((desired?.clients ?? []).map((c) => c.name));
  const rows: ClientRow[] = [];
  for (const c of observed.clients) {
    const members: ClientMemberView[] = c.haStatus.flatMap((g) =>
      g.members.map((m) => ({ hapg: g.hapgLabel, hsm: pairing.hsmNameBySerial.get(m.hsmSerial) ?? m.hsmSerial, serial: m.hsmSerial, state: m.state, attempts: m.attempts })),
    );
    rows.push({
      name: c.name,
      arn: c.arn,
      groups: c.hapgArns.map((arn) => pairing.hapgNameByArn.get(arn) ?? shortId(arn)).sort(byText),
      ha: c.ha,
      members,
      declared: declared.has(c.name),
    });
  }
  for (const name of declared) {
    if (!observed.clients.some((c) => c.name === name)) rows.push({ name, arn: null, groups: [], ha: null, members: [], declared: true });
  }
  return rows.sort((a, b) => byText(a.name, b.name));
}

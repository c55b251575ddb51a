import { renderChrystokiConf, renderChrystokiConfWithoutHa, withoutHaConfiguration, type ChrystokiGroup } from '../../fleet/chrystoki.js';
import { addAction, addDrift, idOf, type Draft } from './draft.js';
import { isRegistered } from './links.js';
import type { ClientFacts } from './facts.js';
import { UNKNOWN } from './kinds.js';

/**
 * The client's generated configuration: the `Chrystoki.conf` that `get-client-configuration`
 * would write once the plan's other changes are made. That call makes the members of the client's
 * groups its servers and writes one virtual token per group, so the file is predicted from the
 * groups as they will be (members in control-plane order, virtual-token serials, the members'
 * addresses); when a part of it is only known after apply (a new member's partition serial) the
 * new content is `(known after apply)`. `HAConfiguration` is left out of the comparison: it
 * belongs to `client.setAutoRecovery` (`vtl haAdmin`).
 */
export function planClientConfig(draft: Draft, c: ClientFacts): void {
  const unregistered = c.desired!.hapgs.filter((label) => {
    const g = draft.facts.hapgs.get(label);
    return g === undefined || (!isRegistered(c, g) && !draft.actions.has(idOf('hapg.registerClient', { g: label, c: c.name })));
  });
  if (unregistered.length > 0) {
    // get-client-configuration needs the client registered to every group it names.
    if (c.observed?.configuration != null || c.verdict === 'create') {
      draft.warnings.push(`client ${c.name}'s configuration is not fetched until it can be registered to hapg ${unregistered.join(', ')}`);
    }
    return;
  }
  const predicted = predict(draft, c);
  const policy = c.desired!.autoRecovery;
  const current = c.observed?.configuration?.chrystokiConf ?? null;
  if (current === null && c.desired!.hapgs.length === 0) return;
  const input = predicted === undefined ? undefined : { clientName: c.name, ...predicted };
  if (input !== undefined && current !== null && renderChrystokiConfWithoutHa(input) === withoutHaConfiguration(current)) return;
  const ha = { autoRecovery: policy.enabled, retry: policy.retry, interval: policy.interval };
  const next = input === undefined ? undefined : renderChrystokiConf({ ...input, ha });

  // Whether another planned action changes what the configuration is made of.
  const inputsChange = draft.touched.clients.has(c.name) || c.desired!.hapgs.some((g) => draft.touched.groups.has(g));
  // Groups whose members changed since the file was written (say, by an apply cut short before it rewrote the file).
  const moved = current === null ? [] : c.desired!.hapgs.filter((label) => membersChangedSinceWritten(draft, c, label));
  const drift = current !== null && !inputsChange && moved.length === 0;
  const description = `Chrystoki.conf on ${c.name} was changed outside hsmctl`;
  const id = addAction(draft, 'client.writeConfig', {
    change: current === null ? 'create' : 'update',
    reason: drift
      ? `drift: ${description}`
      : current === null
        ? `client ${c.name} has no configuration for its groups yet`
        : !inputsChange && moved.length > 0
          ? `Chrystoki.conf on ${c.name} was written before the members of hapg ${moved.join(', ')} changed`
          : `Chrystoki.conf on ${c.name} must describe its groups as they will be`,
    before: current === null ? null : { chrystokiConf: current },
    after: { chrystokiConf: next ?? UNKNOWN },
    params: {
      clientName: c.name,
      ...(c.observed?.arn ? { clientArn: c.observed.arn } : {}),
      hapgLabels: [...c.desired!.hapgs],
      hapgArns: Object.fromEntries(
        c.desired!.hapgs.flatMap((label) => {
          const arn = draft.facts.hapgs.get(label)?.observed?.arn;
          return arn === undefined ? [] : [[label, arn]];
        }),
      ),
    },
  });
  if (drift) addDrift(draft, `client.${c.name}.config`, description, [id]);
}

/**
 * Whether the group's members (by HSM) differ from those the client's configuration was written
 * with: the client library keeps the members it was configured with (its HA status) until the
 * file is written again.
 */
function membersChangedSinceWritten(draft: Draft, c: ClientFacts, label: string): boolean {
  const now = draft.facts.hapgs.get(label)?.observed?.members.map((m) => m.hsmSerial) ?? [];
  const written = c.observed?.haStatus.find((s) => s.hapgLabel === label)?.members.map((m) => m.hsmSerial) ?? [];
  return now.length !== written.length || now.some((serial) => !written.includes(serial));
}

/** The client's groups and servers as they will be, or undefined when a part is only known after apply. */
function predict(draft: Draft, c: ClientFacts): { groups: ChrystokiGroup[]; servers: string[] } | undefined {
  const groups: ChrystokiGroup[] = [];
  const servers: string[] = [];
  for (const label of c.desired!.hapgs) {
    const g = draft.facts.hapgs.get(label);
    const members = draft.memberships.get(label) ?? [];
    if (members.some((m) => m.fate === 'add' || m.fate === 'readd')) return undefined;
    const staying = members.filter((m) => m.fate === 'keep' || m.fate === 'stray').map((m) => m.observed!);
    const serials = staying.map((m) => m.partitionSerial);
    const unchanged = g?.observed !== undefined && serials.join(',') === g.observed.members.map((m) => m.partitionSerial).join(',');
    const first = serials[0];
    groups.push({ label, serial: unchanged ? g.observed!.serial : first === undefined ? '' : `1${first}`, members: serials });
    for (const m of staying) {
      const ip = draft.facts.hsmByArn.get(m.hsmArn)?.observed?.eniIp ?? draft.facts.observed.hsms.find((h) => h.arn === m.hsmArn)?.eniIp;
      if (ip !== undefined) servers.push(ip);
    }
  }
  return { groups, servers };
}

import { renderChrystokiConf, withoutHaConfiguration, type ChrystokiGroup } from '../../fleet/chrystoki.js';
import { addAction, addDrift, type Draft } from './draft.js';
import type { ClientFacts } from './facts.js';
import { UNKNOWN } from './kinds.js';

/**
 * The client's generated configuration: the `Chrystoki.conf` that `get-client-configuration`
 * would write once the plan's other changes are made. The file is predicted from the fleet as it
 * will be (trusted servers, group members in control-plane order, virtual-token serials); when a
 * part of it is only known after apply (a new HSM's address, a new member's partition serial) the
 * new content is `(known after apply)`. `HAConfiguration` is left out of the comparison: it
 * belongs to `client.setAutoRecovery` (`vtl haAdmin`).
 */
export function planClientConfig(draft: Draft, c: ClientFacts): void {
  const groups = predictGroups(draft, c);
  const servers = predictServers(draft, c);
  const policy = c.desired!.autoRecovery;
  const current = c.observed?.configuration?.chrystokiConf ?? null;
  const known = groups !== undefined && servers !== undefined;
  if (current === null && c.desired!.hapgs.length === 0) return;
  const next = known
    ? renderChrystokiConf({
        clientName: c.name,
        servers,
        groups,
        ha: { autoRecovery: policy.enabled, retry: policy.retry, interval: policy.interval },
      })
    : undefined;
  if (next !== undefined && current !== null && withoutHaConfiguration(next) === withoutHaConfiguration(current)) return;

  const inputsChange = [...draft.actions.values()].some((a) => touchesConfigOf(a.params, c.name, c.desired!.hapgs));
  const drift = current !== null && !inputsChange;
  const description = `Chrystoki.conf on ${c.name} was changed outside hsmctl`;
  const id = addAction(draft, 'client.writeConfig', {
    change: current === null ? 'create' : 'update',
    reason: drift
      ? `drift: ${description}`
      : current === null
        ? `client ${c.name} has no configuration for its groups yet`
        : `client ${c.name}'s servers or groups change`,
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

/** Whether an action changes what the client's configuration is made of. */
function touchesConfigOf(params: object, clientName: string, groups: string[]): boolean {
  const p = params as { clientName?: string; hapgLabel?: string; hsmName?: string };
  if (p.clientName === clientName) return true;
  return p.hapgLabel !== undefined && p.clientName === undefined && groups.includes(p.hapgLabel);
}

/** The client's groups as they will be, or undefined when a part is only known after apply. */
function predictGroups(draft: Draft, c: ClientFacts): ChrystokiGroup[] | undefined {
  const groups: ChrystokiGroup[] = [];
  for (const label of c.desired!.hapgs) {
    const g = draft.facts.hapgs.get(label);
    const members = draft.memberships.get(label) ?? [];
    const staying = members.filter((m) => m.fate === 'keep' || m.fate === 'stray');
    const joining = members.filter((m) => m.fate === 'add' || m.fate === 'readd');
    if (joining.length > 0) return undefined;
    const serials = staying.map((m) => m.observed!.partitionSerial);
    const unchanged = g?.observed !== undefined && serials.join(',') === g.observed.members.map((m) => m.partitionSerial).join(',');
    const first = serials[0];
    groups.push({ label, serial: unchanged ? g.observed!.serial : first === undefined ? '' : `1${first}`, members: serials });
  }
  return groups;
}

/** The client's trusted servers after the plan, or undefined when one is only known after apply. */
function predictServers(draft: Draft, c: ClientFacts): string[] | undefined {
  const hosts = new Set((c.observed?.servers ?? []).map((s) => s.host));
  for (const a of draft.actions.values()) {
    if (a.kind === 'client.deleteServer' && a.params.clientName === c.name) hosts.delete(a.params.host);
    if (a.kind === 'client.addServer' && a.params.clientName === c.name) {
      if (a.params.host === undefined) return undefined;
      hosts.add(a.params.host);
    }
  }
  return [...hosts];
}

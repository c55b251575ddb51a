import { shortId } from '../fleet/resolve.js';
import { lastAppliedLine, syncLine } from '../gitops/index.js';
import type { ClientRow, FleetStatus, HapgStatus, HsmRow, MemberState } from '../status/types.js';
import type { Style } from './style.js';
import { table, type Cell } from './status-table.js';

/**
 * `hsmctl status` for people: the provenance and sync header, the fleet's health with the reason
 * for each problem, then one table each for HAPGs (`vtl haAdmin show` folded over clients), HSMs
 * and clients. A column shows `-` where the world has nothing to show.
 */

function tone(style: Style, word: string): Cell {
  const paint =
    word === 'Healthy' || word === 'Synced' || word === 'alive' || word === 'RUNNING' || word === 'reachable'
      ? style.green
      : word === 'OutOfSync' || word === 'recovering' || word === 'Missing' || word === 'missing' || word === 'PENDING'
        ? style.yellow
        : word === 'Unknown' || word === 'Unmanaged' || word === '-'
          ? style.dim
          : style.red;
  return { text: word, paint };
}

function hapgTable(rows: HapgStatus[], style: Style): string[] {
  const member = (name: string, state: MemberState): string => `${name} ${state}`;
  return table(
    ['HAPG', 'ID', 'SERIAL', 'HEALTH', 'SYNC', 'ALIVE', 'DOWN', 'RECOVERING', 'MANUAL-RECOVERY', 'MEMBERS'],
    rows.map((g) => [
      g.label,
      g.arn === null ? '-' : shortId(g.arn),
      g.serial || '-',
      tone(style, g.health),
      tone(style, g.sync),
      `${g.counts.alive}/${g.members.length}`,
      String(g.counts.down),
      String(g.counts.recovering),
      String(g.counts.needsManualRecovery),
      g.members.map((m) => member(m.hsm, m.state)).join(', ') || '-',
    ]),
  );
}

function hsmName(h: HsmRow, configured: boolean): string {
  if (!configured || h.declared) return h.name;
  return `${h.name} (${h.managed ? 'not declared' : 'unmanaged'})`;
}

function hsmTable(rows: HsmRow[], configured: boolean, style: Style): string[] {
  return table(
    ['HSM', 'ID', 'SERIAL', 'STATUS', 'REACHABILITY', 'ZEROIZED', 'AZ'],
    rows.map((h) => [
      hsmName(h, configured),
      h.arn === null ? '-' : shortId(h.arn),
      h.serial ?? '-',
      h.status === null ? tone(style, 'missing') : tone(style, h.status),
      tone(style, h.reachability ?? '-'),
      h.zeroized === null ? '-' : h.zeroized ? 'yes' : 'no',
      h.availabilityZone,
    ]),
  );
}

function policy(c: ClientRow): string {
  if (c.ha === null) return '-';
  return c.ha.autoRecovery ? `on, retry ${c.ha.retry}, interval ${c.ha.interval}s` : 'off';
}

function attempts(c: ClientRow): string {
  const retry = c.ha?.autoRecovery === true && c.ha.retry >= 0 ? `/${c.ha.retry}` : '';
  const byGroup = new Map<string, string[]>();
  for (const m of c.members) {
    const list = byGroup.get(m.hapg) ?? [];
    list.push(`${m.hsm} ${m.attempts}${retry} (${m.state})`);
    byGroup.set(m.hapg, list);
  }
  return [...byGroup].map(([g, list]) => `${g}: ${list.join(', ')}`).join('; ') || '-';
}

function clientTable(rows: ClientRow[], configured: boolean): string[] {
  return table(
    ['CLIENT', 'GROUPS', 'AUTORECOVERY', 'ATTEMPTS'],
    rows.map((c) => [
      configured && !c.declared ? `${c.name} (not declared)` : c.ha === null ? `${c.name} (missing)` : c.name,
      c.groups.join(', ') || '-',
      policy(c),
      attempts(c),
    ]),
  );
}

/** The whole text report, ending with a newline. */
export function renderStatusText(status: FleetStatus, style: Style): string {
  const configured = status.sync.status !== 'Unknown';
  const head = status.sync.head ?? undefined;
  const [word = '', rest = ''] = syncLine(status.sync, head).split(/: (.*)/s, 2);
  const lines = [
    lastAppliedLine(status.sync.lastApplied ?? undefined),
    `${tone(style, word).paint!(word)}: ${rest}`,
    `Health: ${tone(style, status.health.status).paint!(status.health.status)}`,
    ...status.health.reasons.map((r) => `  - ${r}`),
    '',
    ...(status.hapgs.length > 0 ? hapgTable(status.hapgs, style) : ['No HAPGs.']),
    '',
    ...(status.hsms.length > 0 ? hsmTable(status.hsms, configured, style) : ['No HSMs.']),
    '',
    ...(status.clients.length > 0 ? clientTable(status.clients, configured) : ['No clients.']),
    ...(status.warnings.length > 0 ? ['', 'Warnings from the plan:', ...status.warnings.map((w) => `  - ${w}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

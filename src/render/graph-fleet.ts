import type { DesiredFleet } from '../config/types.js';
import type { Hsm, ObservedFleet } from '../fleet/types.js';
import { pair } from '../status/names.js';
import type { FleetStatus, MemberState } from '../status/types.js';
import type { Graph, GraphEdge, GraphNode, Tone } from './graph-model.js';

/**
 * The fleet as configured, annotated with what the world shows: availability zones as clusters
 * holding their HSMs, each HAPG linked to its members, each client linked to its groups and, by a
 * dotted Network Trust Link, to every HSM it uses. A member out of rotation or an unreachable HSM
 * is drawn dashed red, anything declared but absent grey.
 */

function hsmTone(h: Hsm | undefined): Tone {
  if (h === undefined) return 'missing';
  if (h.reachability !== 'reachable' || h.status === 'DEGRADED') return 'down';
  return h.status !== 'RUNNING' || h.zeroized ? 'warning' : 'normal';
}

function hsmLabel(name: string, h: Hsm | undefined): string[] {
  if (h === undefined) return [name, 'missing'];
  const state = h.reachability === 'reachable' ? h.status : `${h.status}, ${h.reachability}`;
  return [name, `${h.serial}, ${state}${h.zeroized ? ', zeroized' : ''}`];
}

function memberTone(state: MemberState): Tone {
  return state === 'alive' ? 'normal' : state === 'missing' ? 'missing' : 'down';
}

/** Whole on both sides: the client trusts the HSM's certificate, the HSM knows the client's. */
function trustTone(observed: ObservedFleet, clientName: string, h: Hsm | undefined): Tone {
  const client = observed.clients.find((c) => c.name === clientName);
  if (h === undefined || client === undefined) return 'missing';
  if (h.reachability !== 'reachable') return 'down';
  const trusts = client.servers.some((s) => s.host === h.eniIp && s.serverCertificateFingerprint === h.serverCertificateFingerprint);
  const registered = h.clients.some((c) => c.id === clientName && c.certificateFingerprint === client.certificateFingerprint);
  return trusts && registered ? 'normal' : trusts || registered ? 'warning' : 'missing';
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The fleet picture: declared resources, observed status on top. */
export function fleetGraph(desired: DesiredFleet, observed: ObservedFleet, status: FleetStatus): Graph {
  const pairing = pair(observed, desired);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const zones = new Map<string, string[]>();
  const hsmNode = (name: string, h: Hsm | undefined, zone: string, extra: string[] = []): void => {
    const id = `hsm:${name}`;
    if (nodes.some((n) => n.id === id)) return;
    const tone = hsmTone(h);
    nodes.push({ id, label: [...hsmLabel(name, h), ...extra], shape: 'hsm', tone: extra.length > 0 && tone === 'normal' ? 'warning' : tone });
    zones.set(zone, [...(zones.get(zone) ?? []), id]);
  };
  for (const d of [...desired.hsms].sort((a, b) => byText(a.name, b.name))) {
    const h = pairing.hsmOf.get(d.name);
    hsmNode(d.name, h, h?.availabilityZone ?? d.availabilityZone);
  }
  for (const d of [...desired.hapgs].sort((a, b) => byText(a.label, b.label))) {
    const row = status.hapgs.find((g) => g.label === d.label && (g.arn === (pairing.hapgOf.get(d.label)?.arn ?? null)));
    const health = row?.health ?? 'Missing';
    const id = `hapg:${d.label}`;
    nodes.push({
      id,
      label: [d.label, row?.serial ? `${health}, ${row.serial}` : health],
      shape: 'hapg',
      tone: health === 'Healthy' ? 'normal' : health === 'Missing' ? 'missing' : 'warning',
    });
    for (const m of row?.members ?? []) {
      // A member the configuration no longer lists still holds the group's partition: draw it.
      const h = observed.hsms.find((x) => x.serial === m.serial && pairing.hsmNameByArn.get(x.arn) === m.hsm);
      if (h !== undefined) hsmNode(m.hsm, h, h.availabilityZone, ['not declared']);
      edges.push({ from: id, to: `hsm:${m.hsm}`, tone: memberTone(m.state), ...(m.state === 'alive' ? {} : { label: m.state }) });
    }
  }
  for (const c of [...desired.clients].sort((a, b) => byText(a.name, b.name))) {
    const o = observed.clients.find((x) => x.name === c.name);
    const id = `client:${c.name}`;
    const policy = c.autoRecovery.enabled ? `autoRecovery on, retry ${c.autoRecovery.retry}, interval ${c.autoRecovery.interval}s` : 'autoRecovery off';
    nodes.push({ id, label: o === undefined ? [c.name, 'missing'] : [c.name, policy], shape: 'client', tone: o?.arn ? 'normal' : 'missing' });
    const used = new Set<string>();
    for (const label of c.hapgs) {
      const g = pairing.hapgOf.get(label);
      edges.push({ from: id, to: `hapg:${label}`, tone: g !== undefined && o?.hapgArns.includes(g.arn) ? 'normal' : 'missing' });
      for (const m of desired.hapgs.find((x) => x.label === label)?.members ?? []) used.add(m);
    }
    for (const name of [...used].sort(byText)) {
      edges.push({ from: id, to: `hsm:${name}`, label: 'NTL', secondary: true, tone: trustTone(observed, c.name, pairing.hsmOf.get(name)) });
    }
  }
  const clusters = [...zones].sort(([a], [b]) => byText(a, b)).map(([zone, ids], i) => ({ id: `az${i}`, label: zone, nodes: ids }));
  return { name: 'fleet', direction: 'LR', clusters, nodes, edges };
}

import type { DesiredFleet } from '../config/types.js';
import type { ObservedFleet } from '../fleet/types.js';
import { gitSync, type AppliedRevision, type Revision } from '../gitops/index.js';
import type { Plan } from '../reconcile/plan/types.js';
import { hapgRows } from './hapgs.js';
import { pair } from './names.js';
import { clientRows, hsmRows } from './rows.js';
import type { FleetStatus, HapgStatus, HsmRow } from './types.js';

export type * from './types.js';

/**
 * The fleet's health and sync: a pure function of what was observed, the configuration and its
 * plan (when the configuration is valid), and the git provenance. No I/O; `gather.ts` collects
 * the inputs.
 */

/** Everything status is computed from. */
export interface StatusInputs {
  observed: ObservedFleet;
  /** The valid configuration; undefined when there is none (health only, sync Unknown). */
  desired?: DesiredFleet;
  /** The plan for `desired` against `observed`; present exactly when `desired` is. */
  plan?: Plan;
  /** Why there is no configuration to compare with (one line). */
  unknownReason?: string;
  /** Absolute configuration path. */
  configPath?: string;
  /** HEAD of the configuration's git work tree. */
  head?: Revision;
  /** The last recorded apply. */
  applied?: AppliedRevision;
}

function memberSummary(g: HapgStatus): string {
  if (g.health === 'Missing') return `hapg ${g.label} is Missing`;
  const unwell = g.members.filter((m) => m.state !== 'alive').map((m) => `${m.hsm} ${m.state}`);
  const detail = unwell.length > 0 ? ` (${unwell.join(', ')})` : g.state === 'DEGRADED' ? ' (group state DEGRADED)' : '';
  return `hapg ${g.label} is Degraded: ${g.counts.alive} of ${g.members.length} members alive${detail}`;
}

function hsmProblem(h: HsmRow): string | undefined {
  if (h.status === null) return `hsm ${h.name} is missing`;
  if (h.reachability !== 'reachable') return `hsm ${h.name} is unreachable (${h.reachability})`;
  if (h.status !== 'RUNNING') return `hsm ${h.name} is ${h.status}`;
  if (h.zeroized === true && h.declared) return `hsm ${h.name} is zeroized`;
  return undefined;
}

/** The status document: health with its reasons, sync with HEAD, and the rows. */
export function fleetStatus(inputs: StatusInputs): FleetStatus {
  const { observed, desired, plan } = inputs;
  const pairing = pair(observed, desired);
  const hapgs = hapgRows(observed, desired, plan, pairing);
  const hsms = hsmRows(observed, desired, pairing);
  const clients = clientRows(observed, desired, pairing);

  const reasons: string[] = [];
  for (const g of hapgs) if (g.health !== 'Healthy' && g.sync !== 'Unmanaged') reasons.push(memberSummary(g));
  // Without a configuration every HSM counts; with one, those it declares or hsmctl owns.
  for (const h of hsms) {
    const problem = desired === undefined || h.declared || h.managed ? hsmProblem(h) : undefined;
    if (problem !== undefined) reasons.push(problem);
  }
  for (const c of clients) {
    if (!c.declared) continue;
    if (c.ha === null) reasons.push(`client ${c.name} is missing`);
    else if (c.arn === null) reasons.push(`client ${c.name} has no CloudHSM client identity`);
  }

  const sync = gitSync({
    head: inputs.head,
    applied: inputs.applied,
    planChanges: plan?.actions.length,
    deferred: plan?.deferred.length ?? 0,
    ...(inputs.unknownReason !== undefined ? { unknownReason: inputs.unknownReason } : {}),
    ...(inputs.configPath !== undefined ? { configPath: inputs.configPath } : {}),
  });
  return {
    formatVersion: 1,
    observedAt: observed.observedAt,
    health: { status: reasons.length === 0 ? 'Healthy' : 'Degraded', reasons },
    sync: {
      ...sync,
      head: inputs.head ?? null,
      lastApplied: inputs.applied ?? null,
      planChanges: plan?.actions.length ?? null,
      deferred: plan?.deferred.length ?? null,
    },
    hapgs,
    hsms,
    clients,
    warnings: plan?.warnings ?? [],
  };
}

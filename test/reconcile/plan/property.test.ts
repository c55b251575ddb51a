import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredFleet } from '../../../src/config/types.js';
import type { ObservedFleet } from '../../../src/fleet/types.js';
import { withoutHaConfiguration } from '../../../src/fleet/chrystoki.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import { convergedWorld, emptyWorld } from '../../fixtures/worlds/converged.js';
import { client, fleet, hapg, hsm } from '../../fixtures/worlds/desired.js';
import {
  cutOff,
  deleteApplianceClient,
  deletePartition,
  deleteTrustedServer,
  hsmNamed,
  needsManualRecovery,
  perturb,
  putKeys,
  revokeAssignment,
  setHa,
  zeroize,
} from '../../fixtures/worlds/perturb.js';
import { simulateApply } from '../../fixtures/worlds/simulate.js';
import { expectWellFormed } from './assert.js';

const HSM_NAMES = ['hsm-a', 'hsm-b', 'hsm-c', 'hsm-d', 'hsm-e'];
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** Any valid desired fleet over a small name space (so two fleets overlap). */
const desiredFleet: fc.Arbitrary<DesiredFleet> = fc
  .record({
    hsms: fc.subarray(HSM_NAMES, { minLength: 0 }),
    zone: fc.array(fc.constantFrom(...ZONES), { minLength: 5, maxLength: 5 }),
    relabel: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    groups: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), { maxLength: 3 }),
    clients: fc.array(
      fc.record({
        groups: fc.array(fc.nat(), { maxLength: 3 }),
        policy: fc.record({ enabled: fc.boolean(), retry: fc.constantFrom(-1, 0, 3, 500), interval: fc.constantFrom(60, 120, 1200) }),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ hsms, zone, relabel, groups, clients }) => {
    const hapgs = hsms.length === 0 ? [] : groups.map((picks, i) => hapg(`hapg${i + 1}`, [...new Set(picks.map((p) => hsms[p % hsms.length]!))]));
    return fleet({
      hsms: hsms.map((name, i) => hsm(name, { availabilityZone: zone[i]!, label: relabel[i] ? `${name}-x` : name })),
      hapgs,
      clients: clients.map((c, i) =>
        client(`app-${i + 1}`, hapgs.length === 0 ? [] : [...new Set(c.groups.map((g) => hapgs[g % hapgs.length]!.label))], c.policy),
      ),
    });
  });

/** An out-of-band change or fault: its kind (0..9) and two picks of its targets. */
type Fault = [kind: number, i: number, j: number];

const fault: fc.Arbitrary<Fault> = fc.tuple(fc.nat(9), fc.nat(), fc.nat());

/** Applies a fault to a copy of the world when its targets exist. */
function applyFault(w: ObservedFleet, [kind, i, j]: Fault): ObservedFleet {
  const hsms = w.hsms.map((h) => h.tags['hsmctl:name']!);
  const h = hsms[i % Math.max(1, hsms.length)];
  const g = w.hapgs[j % Math.max(1, w.hapgs.length)];
  const c = w.clients[j % Math.max(1, w.clients.length)];
  if (h === undefined) return w;
  const member = g !== undefined && g.members.some((m) => m.hsmArn === hsmNamed(w, h).arn);
  const linked = c !== undefined && member && c.hapgArns.includes(g!.arn);
  switch (kind) {
    case 0:
      return perturb(w, zeroize(h));
    case 1:
      return perturb(w, cutOff(h, j % 2 === 0 ? 'power-lost' : 'network-lost'));
    case 2:
      return member ? perturb(w, putKeys(g!.label, 1 + (i % 5))) : w;
    case 3:
      return linked ? perturb(w, revokeAssignment(h, c!.name, g!.label)) : w;
    case 4:
      return c !== undefined ? perturb(w, deleteTrustedServer(c.name, h)) : w;
    case 5:
      return c !== undefined ? perturb(w, setHa(c.name, { autoRecovery: i % 2 === 0, retry: 7 })) : w;
    case 6:
      return member ? perturb(w, deletePartition(h, g!.label)) : w;
    case 7:
      return c !== undefined ? perturb(w, deleteApplianceClient(h, c.name)) : w;
    case 8:
      return linked ? perturb(w, needsManualRecovery(c!.name, g!.label, h)) : w;
    default:
      return perturb(w, (x) => {
        const o = hsmNamed(x, h);
        if (!o.zeroized) o.status = 'PENDING';
      });
  }
}

describe('planner properties', () => {
  it('from an empty world: a well-formed DAG of creations that can be applied', () => {
    fc.assert(
      fc.property(desiredFleet, (desired) => {
        const p = plan(desired, emptyWorld());
        expectWellFormed(p);
        expect(p.applyable).toBe(true);
        expect(p.actions.every((a) => a.change === 'create')).toBe(true);
        expect(p.actions.filter((a) => a.kind === 'hsm.create').length).toBe(desired.hsms.length);
      }),
      { numRuns: 200 },
    );
  });

  it('a converged world plans nothing', () => {
    fc.assert(
      fc.property(desiredFleet, (desired) => {
        const p = plan(desired, convergedWorld(desired));
        expect(p.actions).toEqual([]);
        expect(p.drift).toEqual([]);
        expect(p.warnings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('any desired fleet against any perturbed world: unique ids, acyclic, dependencies inside the plan', () => {
    fc.assert(
      fc.property(
        desiredFleet,
        desiredFleet,
        fc.array(fault, { maxLength: 4 }),
        fc.boolean(),
        fc.subarray(HSM_NAMES),
        (desired, previous, faults, allowDestroy, mismatch) => {
          const observed = faults.reduce(applyFault, convergedWorld(previous));
          const p = plan(desired, observed, { allowDestroy, cloningDomainMismatch: mismatch });
          expectWellFormed(p);
          const unreachable = new Set(p.unreachable.map((u) => u.name));
          for (const a of p.actions) {
            const h = 'hsmName' in a.params ? a.params.hsmName : undefined;
            if (h !== undefined && unreachable.has(h)) expect(a.kind, `${a.id} touches unreachable ${h}`).toMatch(/^(client\.writeConfig)$/);
          }
          if (!allowDestroy) expect(p.applyable).toBe(!p.actions.some((a) => a.destructive) && p.refusals.length === 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('carrying out a plan in any dependency order converges: the next plan is empty', () => {
    fc.assert(
      fc.property(
        desiredFleet,
        desiredFleet,
        fc.array(fault, { maxLength: 4 }),
        fc.subarray(HSM_NAMES),
        fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
        (desired, previous, faults, mismatch, choices) => {
        const observed = faults.reduce(applyFault, convergedWorld(previous));
        const first = plan(desired, observed, { allowDestroy: true, cloningDomainMismatch: mismatch });
        // Any order a parallel executor may take, as long as it respects dependsOn.
        let turn = 0;
        const after = simulateApply(first, observed, () => choices[turn++ % choices.length]!);
        const wiped = new Set(first.actions.filter((a) => a.kind === 'hsm.initialize').map((a) => a.address.slice(4)));
        const second = plan(desired, after, { allowDestroy: true, cloningDomainMismatch: mismatch.filter((h) => !wiped.has(h)) });
        expect(second.actions.map((a) => `${a.id}: ${a.reason}`)).toEqual([]);
        // What the plan showed as the client's new Chrystoki.conf is what was written.
        for (const a of first.actions) {
          if (a.kind !== 'client.writeConfig' || typeof a.after?.chrystokiConf !== 'string') continue;
          const written = after.clients.find((c) => c.name === a.params.clientName)!.configuration!.chrystokiConf;
          expect(withoutHaConfiguration(a.after.chrystokiConf)).toBe(withoutHaConfiguration(written));
        }
      },
      ),
      { numRuns: 300 },
    );
  });
});

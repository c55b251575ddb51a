import { describe, expect, it } from 'vitest';
import type { DesiredFleet } from '../../../src/config/types.js';
import type { ObservedFleet } from '../../../src/fleet/types.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import type { Plan, PlanOptions } from '../../../src/reconcile/plan/types.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { client, edit, fleet, hapg, hsm, quickstart } from '../../fixtures/worlds/desired.js';
import {
  addUnmanaged,
  clientNamed,
  cutOff,
  deleteApplianceClient,
  deletePartition,
  hsmNamed,
  needsManualRecovery,
  perturb,
  putKeys,
  zeroize,
} from '../../fixtures/worlds/perturb.js';
import { autoRecoveryChange, destroy, drifted, thirdMember } from '../../fixtures/worlds/scenarios.js';
import { actionById, dependsTransitively, expectWellFormed, idsOf } from './assert.js';

const base = quickstart();
const converged = convergedWorld(base);

interface Case {
  name: string;
  desired: DesiredFleet;
  observed: ObservedFleet;
  options?: PlanOptions;
  /** Exactly these action ids, in this order. */
  ids?: string[];
  check?: (p: Plan) => void;
}

const cases: Case[] = [
  {
    name: 'a third member joins hapg1',
    desired: thirdMember.desired,
    observed: thirdMember.observed,
    ids: [
      'hsm.create:hsm-c',
      'hsm.initialize:hsm-c',
      'client.addServer:app-1.hsm-c',
      'hsm.registerClient:hsm-c.app-1',
      'hapg.addMember:hapg1.hsm-c',
      'partition.assign:hsm-c.hapg1.app-1',
      'client.writeConfig:app-1',
    ],
    check: (p) => {
      expect(actionById(p, 'client.writeConfig:app-1').change).toBe('update');
      expect(actionById(p, 'hapg.addMember:hapg1.hsm-c').params).toMatchObject({ hapgArn: converged.hapgs[0]!.arn });
      expect(actionById(p, 'hapg.addMember:hapg1.hsm-c').params).not.toHaveProperty('hsmArn');
      expect(p.summary).toEqual({ create: 6, update: 1, delete: 0, replace: 0, recover: 0 });
    },
  },
  {
    name: 'the autoRecovery policy changes in the configuration',
    desired: autoRecoveryChange.desired,
    observed: autoRecoveryChange.observed,
    ids: ['client.setAutoRecovery:app-1'],
    check: (p) => {
      const a = actionById(p, 'client.setAutoRecovery:app-1');
      expect(a.change).toBe('update');
      expect(a.before).toEqual({ autoRecovery: true, retry: -1, interval: 60 });
      expect(a.after).toEqual({ autoRecovery: true, retry: 10, interval: 120 });
      expect(a.reason).not.toMatch(/^drift/);
      expect(p.drift).toEqual([]);
    },
  },
  {
    name: 'drift: assignment revoked, server removed, autoRecovery altered by hand',
    desired: drifted.desired,
    observed: drifted.observed,
    // vtl deleteServer rewrote Chrystoki.conf without the server: the file is restored too.
    ids: ['client.addServer:app-1.hsm-a', 'partition.assign:hsm-b.hapg1.app-1', 'client.writeConfig:app-1', 'client.setAutoRecovery:app-1'],
    check: (p) => {
      expect(p.drift.map((d) => [d.address, d.actionIds])).toEqual([
        ['client.app-1.autoRecovery', ['client.setAutoRecovery:app-1']],
        ['client.app-1.server.hsm-a', ['client.addServer:app-1.hsm-a']],
        ['hsm.hsm-b.partition.hapg1.app-1', ['partition.assign:hsm-b.hapg1.app-1']],
      ]);
      expect(p.drift[0]!.description).toBe('autoRecovery changed by hand: retry -1 → 3');
      expect(p.drift[1]!.description).toMatch(/^server hsm hsm-a \(10\.0\.1\.20\) removed from app-1's trusted servers$/);
      expect(p.drift[2]!.description).toMatch(/revoked out of band/);
      for (const a of p.actions) if (a.kind !== 'client.writeConfig') expect(a.reason).toMatch(/^drift: /);
      const conf = actionById(p, 'client.writeConfig:app-1');
      expect(conf.after).toEqual({ chrystokiConf: clientNamed(converged, 'app-1').configuration!.chrystokiConf });
      expect(conf.dependsOn).toEqual(['client.addServer:app-1.hsm-a']);
    },
  },
  {
    name: 'drift: the client deleted from an HSM by hand',
    desired: base,
    observed: perturb(converged, deleteApplianceClient('hsm-a', 'app-1')),
    ids: ['hsm.registerClient:hsm-a.app-1', 'partition.assign:hsm-a.hapg1.app-1'],
    check: (p) => {
      expect(p.drift.map((d) => d.description)).toEqual(['client app-1 deleted from hsm hsm-a out of band']);
      expect(actionById(p, 'partition.assign:hsm-a.hapg1.app-1').dependsOn).toEqual(['hsm.registerClient:hsm-a.app-1']);
    },
  },
  {
    name: 'drift: a HAPG partition deleted from a member by hand',
    desired: base,
    observed: perturb(converged, deletePartition('hsm-b', 'hapg1')),
    ids: ['hapg.removeMember:hapg1.hsm-b', 'hapg.addMember:hapg1.hsm-b', 'partition.assign:hsm-b.hapg1.app-1', 'client.writeConfig:app-1'],
    check: (p) => {
      expect(p.drift).toEqual([
        {
          address: 'hapg.hapg1.member.hsm-b',
          description: expect.stringMatching(/^partition hapg-\w{8}_\d{6} of hapg hapg1 was deleted from hsm hsm-b out of band$/),
          actionIds: ['hapg.removeMember:hapg1.hsm-b', 'hapg.addMember:hapg1.hsm-b'],
        },
      ]);
      expect(actionById(p, 'hapg.removeMember:hapg1.hsm-b').destructive).toBe(false);
      expect(p.applyable).toBe(true);
    },
  },
  {
    name: 'drift: Chrystoki.conf edited by hand',
    desired: base,
    observed: perturb(converged, (w) => {
      const conf = clientNamed(w, 'app-1').configuration!;
      conf.chrystokiConf = conf.chrystokiConf.replace('ReceiveTimeout = 20000', 'ReceiveTimeout = 5');
    }),
    ids: ['client.writeConfig:app-1'],
    check: (p) => {
      const a = actionById(p, 'client.writeConfig:app-1');
      expect(a.reason).toBe('drift: Chrystoki.conf on app-1 was changed outside hsmctl');
      expect(a.after).toEqual({ chrystokiConf: clientNamed(converged, 'app-1').configuration!.chrystokiConf });
    },
  },
  {
    name: 'an HSM leaves the configuration: refused without --allow-destroy',
    desired: destroy.desired,
    observed: destroy.observed,
    ids: ['client.deleteServer:app-1.hsm-b', 'hapg.removeMember:hapg1.hsm-b', 'hsm.zeroize:hsm-b', 'hsm.delete:hsm-b', 'client.writeConfig:app-1'],
    check: (p) => {
      expect(p.applyable).toBe(false);
      expect(p.refusals).toEqual([
        'hsm.zeroize hsm-b: destroys all keys on hsm-b (4 key objects); run with --allow-destroy',
        'hsm.delete hsm-b: deletes the HSM hsm-b and everything on it; run with --allow-destroy',
      ]);
      // hsm-a keeps a copy of hapg1's keys: leaving the group loses nothing.
      expect(actionById(p, 'hapg.removeMember:hapg1.hsm-b').destructive).toBe(false);
      expect(actionById(p, 'hsm.delete:hsm-b').dependsOn).toEqual([
        'client.deleteServer:app-1.hsm-b',
        'hapg.removeMember:hapg1.hsm-b',
        'hsm.zeroize:hsm-b',
      ]);
      expect(actionById(p, 'hapg.removeMember:hapg1.hsm-b').dependsOn).toEqual(['client.deleteServer:app-1.hsm-b']);
      expect(actionById(p, 'client.writeConfig:app-1').after!.chrystokiConf).toMatch(/VirtualToken00Members = \d{9};/);
    },
  },
  {
    name: 'an HSM leaves the configuration: applyable with --allow-destroy',
    desired: destroy.desired,
    observed: destroy.observed,
    options: { allowDestroy: true },
    check: (p) => {
      expect(p.applyable).toBe(true);
      expect(p.refusals).toEqual([]);
      expect(p.summary.delete).toBe(4);
    },
  },
  {
    name: 'a whole HAPG holding keys leaves with its client: the last copy is destructive',
    desired: fleet({ hsms: base.hsms, hapgs: [], clients: [] }),
    observed: perturb(converged, putKeys('hapg1', 2)),
    // Deregistering revokes the partitions and deletes the client from both HSMs by itself.
    ids: [
      'hapg.deregisterClient:hapg1.app-1',
      'hapg.removeMember:hapg1.hsm-a',
      'hapg.removeMember:hapg1.hsm-b',
      'hapg.delete:hapg1',
      'client.delete:app-1',
    ],
    check: (p) => {
      expect(p.actions.filter((a) => a.destructive).map((a) => a.id)).toEqual([
        'hapg.removeMember:hapg1.hsm-a',
        'hapg.removeMember:hapg1.hsm-b',
        'hapg.delete:hapg1',
      ]);
      expect(p.refusals).toContain('hapg.delete hapg1: deletes hapg hapg1, which holds 4 key objects; run with --allow-destroy');
      expect(actionById(p, 'hapg.removeMember:hapg1.hsm-a').dependsOn).toEqual(['hapg.deregisterClient:hapg1.app-1']);
      expect(actionById(p, 'hapg.delete:hapg1').dependsOn).toEqual([
        'hapg.deregisterClient:hapg1.app-1',
        'hapg.removeMember:hapg1.hsm-a',
        'hapg.removeMember:hapg1.hsm-b',
      ]);
      expect(actionById(p, 'client.delete:app-1').dependsOn).toEqual(['hapg.delete:hapg1', 'hapg.deregisterClient:hapg1.app-1']);
    },
  },
  {
    name: 'a client leaves a group and the group loses a member it no longer needs',
    desired: edit(base, (d) => {
      d.hapgs.push(hapg('hapg2', ['hsm-a']));
      d.clients[0]!.hapgs = ['hapg2'];
    }),
    observed: converged,
    check: (p) => {
      // Deregistering from hapg1 revokes its partitions and deletes app-1 from both HSMs (no
      // partition left there); app-1 still uses hsm-a through hapg2, so it is registered again.
      expect(idsOf(p)).toEqual([
        'hapg.deregisterClient:hapg1.app-1',
        'client.deleteServer:app-1.hsm-b',
        'hsm.registerClient:hsm-a.app-1',
        'hapg.create:hapg2',
        'hapg.addMember:hapg2.hsm-a',
        'partition.assign:hsm-a.hapg2.app-1',
        'hapg.registerClient:hapg2.app-1',
        'client.writeConfig:app-1',
      ]);
      const again = actionById(p, 'hsm.registerClient:hsm-a.app-1');
      expect(again.reason).toMatch(/^leaving a group deletes app-1's registration on hsm hsm-a/);
      expect(again.dependsOn).toEqual(['hapg.deregisterClient:hapg1.app-1']);
      expect(p.drift).toEqual([]);
      expect(p.applyable).toBe(true);
    },
  },
  {
    name: 'protect: a protected HSM is never re-initialized, even with --allow-destroy',
    desired: edit(base, (d) => {
      Object.assign(d.hsms[0]!, { protect: true, label: 'prod-a-renamed' });
    }),
    observed: converged,
    options: { allowDestroy: true },
    check: (p) => {
      expect(p.applyable).toBe(false);
      expect(p.refusals).toEqual([
        'hsm.zeroize hsm-a: hsm hsm-a is protected (protect: true) and cannot be zeroized or re-initialized',
      ]);
    },
  },
  {
    name: 'empty configuration guard',
    desired: fleet(),
    observed: converged,
    check: (p) => {
      expect(p.applyable).toBe(false);
      expect(p.refusals[0]).toBe(
        'the configuration declares nothing; refusing to destroy 4 managed resources without --allow-destroy',
      );
      expect(p.actions.some((a) => a.kind === 'hsm.delete')).toBe(true);
    },
  },
  {
    name: 'empty configuration with --allow-destroy deletes the whole managed fleet',
    desired: fleet(),
    observed: converged,
    options: { allowDestroy: true },
    check: (p) => {
      expect(p.applyable).toBe(true);
      expect(p.actions.filter((a) => a.change === 'delete').length).toBe(p.actions.length);
      expect(p.actions.filter((a) => a.kind.endsWith('.delete')).map((a) => a.id)).toEqual([
        'hapg.delete:hapg1',
        'client.delete:app-1',
        'hsm.delete:hsm-a',
        'hsm.delete:hsm-b',
      ]);
    },
  },
  {
    name: 'unreachable is not absent: a powered-off HSM is reported, not re-created',
    desired: base,
    observed: perturb(converged, cutOff('hsm-b', 'power-lost')),
    ids: [],
    check: (p) => {
      expect(p.unreachable).toEqual([expect.objectContaining({ name: 'hsm-b', reachability: 'power-lost' })]);
      expect(p.warnings).toEqual([expect.stringMatching(/^hsm hsm-b is unreachable \(power-lost\)/)]);
      expect(p.hasChanges).toBe(false);
    },
  },
  {
    name: 'unreachable: a new client is set up on the reachable members; the group registration waits',
    desired: edit(base, (d) => d.clients.push(client('app-2', ['hapg1']))),
    observed: perturb(converged, cutOff('hsm-b', 'network-lost')),
    // register-client-to-hapg talks to every member, and the configuration needs the registration.
    ids: ['client.create:app-2', 'client.addServer:app-2.hsm-a', 'hsm.registerClient:hsm-a.app-2', 'partition.assign:hsm-a.hapg1.app-2', 'client.setAutoRecovery:app-2'],
    check: (p) => {
      expect(p.warnings).toEqual([
        expect.stringMatching(/^hsm hsm-b is unreachable \(network-lost\)/),
        'client app-2 cannot be registered to hapg hapg1 while hsm-b cannot be reached',
        "client app-2's configuration is not fetched until it can be registered to hapg hapg1",
      ]);
    },
  },
  {
    name: 'unreachable: an HSM that left the configuration is not deleted while it cannot be seen',
    desired: destroy.desired,
    observed: perturb(destroy.observed, cutOff('hsm-b')),
    ids: [],
    check: (p) => {
      expect(p.warnings[0]).toMatch(/^hsm hsm-b left the configuration but is unreachable/);
      expect(p.applyable).toBe(true);
    },
  },
  {
    name: 'unreachable: a relabelled HSM is not re-initialized while it cannot be seen',
    desired: edit(base, (d) => Object.assign(d.hsms[1]!, { label: 'other' })),
    observed: perturb(converged, cutOff('hsm-b')),
    ids: [],
  },
  {
    name: 'a PENDING HSM counts as created: it is initialized, not created again',
    desired: thirdMember.desired,
    observed: perturb(convergedWorld(thirdMember.desired), (w) => {
      const h = hsmNamed(w, 'hsm-c');
      Object.assign(h, { status: 'PENDING', zeroized: true, label: null, partitions: [], clients: [] });
      const g = w.hapgs[0]!;
      g.members = g.members.filter((m) => m.hsmArn !== h.arn);
      const c = clientNamed(w, 'app-1');
      c.servers = c.servers.filter((s) => s.host !== h.eniIp);
    }),
    check: (p) => {
      expect(idsOf(p)).not.toContain('hsm.create:hsm-c');
      expect(idsOf(p).slice(0, 2)).toEqual(['hsm.initialize:hsm-c', 'client.addServer:app-1.hsm-c']);
      expect(actionById(p, 'hsm.initialize:hsm-c').reason).toMatch(/PENDING/);
      expect(p.warnings).toEqual([expect.stringMatching(/still being provisioned/)]);
    },
  },
  {
    name: 'a managed HSM zeroized out of band is initialized again and everything on it redone',
    desired: base,
    observed: perturb(converged, zeroize('hsm-b')),
    ids: [
      'hapg.removeMember:hapg1.hsm-b',
      'hsm.initialize:hsm-b',
      'hsm.registerClient:hsm-b.app-1',
      'hapg.addMember:hapg1.hsm-b',
      'partition.assign:hsm-b.hapg1.app-1',
      'client.writeConfig:app-1',
    ],
    check: (p) => {
      const init = actionById(p, 'hsm.initialize:hsm-b');
      expect(init.destructive).toBe(false);
      expect(init.change).toBe('update');
      expect(init.reason).toMatch(/^drift: hsm hsm-b was zeroized/);
      expect(p.applyable).toBe(true);
      expect(actionById(p, 'hapg.addMember:hapg1.hsm-b').dependsOn).toEqual(['hapg.removeMember:hapg1.hsm-b', 'hsm.initialize:hsm-b']);
    },
  },
  {
    name: 'a label change re-initializes the HSM (-/+) and redoes everything on it',
    desired: edit(base, (d) => Object.assign(d.hsms[0]!, { label: 'prod-a2' })),
    observed: converged,
    options: { allowDestroy: true },
    ids: [
      'hapg.removeMember:hapg1.hsm-a',
      'hsm.zeroize:hsm-a',
      'hsm.initialize:hsm-a',
      'hsm.registerClient:hsm-a.app-1',
      'hapg.addMember:hapg1.hsm-a',
      'partition.assign:hsm-a.hapg1.app-1',
      'client.writeConfig:app-1',
    ],
    check: (p) => {
      expect(actionById(p, 'hsm.zeroize:hsm-a')).toMatchObject({ change: 'replace', destructive: true });
      expect(actionById(p, 'hsm.initialize:hsm-a')).toMatchObject({
        change: 'replace',
        before: { label: 'prod-a' },
        after: { label: 'prod-a2' },
      });
      expect(p.summary.replace).toBe(2);
    },
  },
  {
    name: 'a label change without --allow-destroy is refused',
    desired: edit(base, (d) => Object.assign(d.hsms[0]!, { label: 'prod-a2' })),
    observed: converged,
    check: (p) => {
      expect(p.refusals).toEqual(['hsm.zeroize hsm-a: destroys all keys on hsm-a; run with --allow-destroy']);
    },
  },
  {
    name: 'a cloning domain that differs (found by the observer) re-initializes the HSM',
    desired: base,
    observed: converged,
    options: { cloningDomainMismatch: ['hsm-b'], allowDestroy: true },
    check: (p) => {
      expect(actionById(p, 'hsm.zeroize:hsm-b').reason).toMatch(/cloning domain differs/);
      expect(idsOf(p)).toContain('hapg.addMember:hapg1.hsm-b');
    },
  },
  {
    name: 'unmanaged resources are reported and never touched',
    desired: base,
    observed: perturb(converged, addUnmanaged),
    ids: [],
    check: (p) => {
      expect(p.unmanaged.map((u) => [u.type, u.name])).toEqual([
        ['client', 'bastion'],
        ['hapg', 'legacy-group'],
        ['hsm', 'legacy'],
      ]);
    },
  },
  {
    name: 'a member that exhausted its retries and is reachable again is recovered by hand',
    desired: base,
    observed: perturb(converged, needsManualRecovery('app-1', 'hapg1', 'hsm-b', 500)),
    ids: ['hapg.recoverMember:app-1.hapg1.hsm-b'],
    check: (p) => {
      const a = actionById(p, 'hapg.recoverMember:app-1.hapg1.hsm-b');
      expect(a).toMatchObject({ change: 'recover', address: 'client.app-1.hapg.hapg1.member.hsm-b', destructive: false });
      expect(a.params).toEqual({ clientName: 'app-1', hapgLabel: 'hapg1', hsmName: 'hsm-b', hsmSerial: hsmNamed(converged, 'hsm-b').serial });
      expect(p.summary.recover).toBe(1);
    },
  },
  {
    name: 'a member that needs manual recovery but is still unreachable is left alone',
    desired: base,
    observed: perturb(converged, needsManualRecovery('app-1', 'hapg1', 'hsm-b'), cutOff('hsm-b')),
    ids: [],
  },
  {
    name: 'a member that is merely down for a client is not drift',
    desired: base,
    observed: perturb(converged, (w) => {
      clientNamed(w, 'app-1').haStatus[0]!.members[1]!.state = 'down';
    }),
    ids: [],
  },
];

describe('plan', () => {
  it.each(cases)('$name', ({ desired, observed, options, ids, check }) => {
    const p = plan(desired, observed, options ?? {});
    expectWellFormed(p);
    if (ids !== undefined) expect(idsOf(p)).toEqual(ids);
    check?.(p);
  });

  it('does not change its inputs', () => {
    const observed = perturb(converged, zeroize('hsm-a'));
    const before = structuredClone(observed);
    plan(thirdMember.desired, observed, { allowDestroy: true });
    expect(observed).toEqual(before);
  });
});

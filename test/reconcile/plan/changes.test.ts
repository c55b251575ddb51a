import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/reconcile/plan/index.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, fleet, hapg, quickstart } from '../../fixtures/worlds/desired.js';
import { hapgLabelled, perturb, putKeys, zeroize } from '../../fixtures/worlds/perturb.js';
import { autoRecoveryChange, destroy, thirdMember } from '../../fixtures/worlds/scenarios.js';
import { actionById, idsOf } from './assert.js';
import { runCase, type Case } from './case.js';

/** Changes of the configuration against a converged fleet: additions, removals, replacements, safety. */

const base = quickstart();
const converged = convergedWorld(base);

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
      // Two objects, mirrored on both members: counted once each.
      expect(p.refusals).toContain('hapg.delete hapg1: deletes hapg hapg1, which holds 2 key objects; run with --allow-destroy');
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
    name: 'protect: without --allow-destroy, the refusal names protection only (--allow-destroy cannot help)',
    desired: edit(base, (d) => {
      Object.assign(d.hsms[0]!, { protect: true, label: 'prod-a-renamed' });
    }),
    observed: converged,
    check: (p) => {
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
];

describe('plan: configuration changes', () => {
  it.each(cases)('$name', runCase);

  it('names the resource of every action by its whole name, even a HAPG label with dots', () => {
    const dotted = edit(base, (d) => {
      d.hapgs = [hapg('prod.eu.1', ['hsm-a', 'hsm-b'])];
      d.clients = d.clients.map((c) => ({ ...c, hapgs: ['prod.eu.1'] }));
    });
    const p = plan(dotted, convergedWorld(fleet()));
    const addMember = actionById(p, 'hapg.addMember:prod.eu.1.hsm-a');
    expect(addMember.address).toBe('hapg.prod.eu.1.member.hsm-a');
    expect(addMember.resource).toEqual({ type: 'hapg', name: 'prod.eu.1' });
    expect(actionById(p, 'partition.assign:hsm-a.prod.eu.1.app-1').resource).toEqual({ type: 'hsm', name: 'hsm-a' });
  });

  it('a HAPG being deleted counts each key object once, however many members hold it', () => {
    const observed = perturb(converged, (w) => {
      const held = [[1, 2], [2, 3]];
      hapgLabelled(w, 'hapg1').members.forEach((m, i) => {
        const p = w.hsms.find((h) => h.arn === m.hsmArn)!.partitions.find((x) => x.name === m.partitionName)!;
        Object.assign(p, { objectCount: held[i]!.length, objectHandles: held[i] });
      });
    });
    const p = plan(fleet({ hsms: base.hsms, hapgs: [], clients: [] }), observed);
    expect(actionById(p, 'hapg.delete:hapg1').before).toMatchObject({ keyObjects: 3 });
    expect(p.refusals).toContain('hapg.delete hapg1: deletes hapg hapg1, which holds 3 key objects; run with --allow-destroy');
  });

  it('does not change its inputs', () => {
    const observed = perturb(converged, zeroize('hsm-a'));
    const before = structuredClone(observed);
    plan(thirdMember.desired, observed, { allowDestroy: true });
    expect(observed).toEqual(before);
  });
});

import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/reconcile/plan/index.js';
import { convergedWorld, emptyWorld } from '../../fixtures/worlds/converged.js';
import { quickstart } from '../../fixtures/worlds/desired.js';
import { actionById, dependsTransitively, expectWellFormed, idsOf } from './assert.js';

describe('the quickstart from an empty world', () => {
  const desired = quickstart();
  const p = plan(desired, emptyWorld());

  it('is the seed procedure, action by action, in order', () => {
    expectWellFormed(p);
    expect(idsOf(p)).toEqual([
      'hsm.create:hsm-a',
      'hsm.create:hsm-b',
      'hsm.initialize:hsm-a',
      'hsm.initialize:hsm-b',
      'client.create:app-1',
      'client.addServer:app-1.hsm-a',
      'client.addServer:app-1.hsm-b',
      'hsm.registerClient:hsm-a.app-1',
      'hsm.registerClient:hsm-b.app-1',
      'hapg.create:hapg1',
      'hapg.addMember:hapg1.hsm-a',
      'hapg.addMember:hapg1.hsm-b',
      'partition.assign:hsm-a.hapg1.app-1',
      'partition.assign:hsm-b.hapg1.app-1',
      'hapg.registerClient:hapg1.app-1',
      'client.writeConfig:app-1',
      'client.setAutoRecovery:app-1',
    ]);
    expect(p.summary).toEqual({ create: 17, update: 0, delete: 0, replace: 0, recover: 0 });
    expect(p.applyable).toBe(true);
    expect(p.drift).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it.each([
    ['hsm.initialize:hsm-a', ['hsm.create:hsm-a']],
    ['client.addServer:app-1.hsm-a', ['client.create:app-1', 'hsm.initialize:hsm-a']],
    ['hsm.registerClient:hsm-b.app-1', ['client.create:app-1', 'hsm.initialize:hsm-b']],
    ['hapg.addMember:hapg1.hsm-a', ['hapg.create:hapg1', 'hsm.initialize:hsm-a']],
    // Members join in declared order, so the first member (and the virtual token serial) is fixed.
    ['hapg.addMember:hapg1.hsm-b', ['hapg.addMember:hapg1.hsm-a', 'hapg.create:hapg1', 'hsm.initialize:hsm-b']],
    ['partition.assign:hsm-a.hapg1.app-1', ['hapg.addMember:hapg1.hsm-a', 'hsm.registerClient:hsm-a.app-1']],
    [
      'hapg.registerClient:hapg1.app-1',
      [
        'client.create:app-1',
        'hapg.addMember:hapg1.hsm-a',
        'hapg.addMember:hapg1.hsm-b',
        'hapg.create:hapg1',
        'partition.assign:hsm-a.hapg1.app-1',
        'partition.assign:hsm-b.hapg1.app-1',
      ],
    ],
    [
      'client.writeConfig:app-1',
      [
        'client.addServer:app-1.hsm-a',
        'client.addServer:app-1.hsm-b',
        'client.create:app-1',
        'hapg.addMember:hapg1.hsm-a',
        'hapg.addMember:hapg1.hsm-b',
        'hapg.registerClient:hapg1.app-1',
        'hsm.registerClient:hsm-a.app-1',
        'hsm.registerClient:hsm-b.app-1',
        'partition.assign:hsm-a.hapg1.app-1',
        'partition.assign:hsm-b.hapg1.app-1',
      ],
    ],
    ['client.setAutoRecovery:app-1', ['client.create:app-1', 'client.writeConfig:app-1']],
  ])('%s depends on exactly %j', (id, deps) => {
    expect(actionById(p, id).dependsOn).toEqual(deps);
  });

  it('knows what it cannot know yet and hides what it must not show', () => {
    const init = actionById(p, 'hsm.initialize:hsm-a');
    expect(init.after).toEqual({ label: 'prod-a', cloningDomain: '(sensitive)', soPassword: '(sensitive)' });
    expect(init.params).toEqual({ hsmName: 'hsm-a', label: 'prod-a' });
    expect(actionById(p, 'hsm.create:hsm-a').after).toMatchObject({ arn: { unknown: true }, eniIp: { unknown: true } });
    expect(actionById(p, 'client.writeConfig:app-1').after).toEqual({ chrystokiConf: { unknown: true } });
    expect(actionById(p, 'hsm.create:hsm-b').params).toEqual({
      hsmName: 'hsm-b',
      availabilityZone: 'us-east-1b',
      subnetId: 'subnet-4e5f6a7b',
      syslogIp: '10.0.1.10',
    });
  });

  it('makes the client configuration wait for the whole group', () => {
    expect(dependsTransitively(p, 'client.writeConfig:app-1', 'hsm.create:hsm-b')).toBe(true);
    expect(dependsTransitively(p, 'client.setAutoRecovery:app-1', 'partition.assign:hsm-b.hapg1.app-1')).toBe(true);
    expect(dependsTransitively(p, 'hapg.create:hapg1', 'hsm.create:hsm-a')).toBe(false);
  });

  it('is the same plan every time (deterministic)', () => {
    expect(plan(quickstart(), emptyWorld())).toEqual(p);
  });
});

describe('a converged world', () => {
  it('needs no changes', () => {
    const desired = quickstart();
    const p = plan(desired, convergedWorld(desired));
    expectWellFormed(p);
    expect(p.actions).toEqual([]);
    expect(p.hasChanges).toBe(false);
    expect(p.applyable).toBe(true);
    expect(p.drift).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.unmanaged).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/reconcile/plan/index.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { client, edit, quickstart } from '../../fixtures/worlds/desired.js';
import {
  addUnmanaged,
  clientNamed,
  cutOff,
  deleteApplianceClient,
  deletePartition,
  hsmNamed,
  needsManualRecovery,
  perturb,
  removeMember,
  setHa,
  zeroize,
} from '../../fixtures/worlds/perturb.js';
import { destroy, drifted, thirdMember } from '../../fixtures/worlds/scenarios.js';
import { actionById, idsOf } from './assert.js';
import { runCase, type Case } from './case.js';

/** The world changed outside hsmctl: drift, unreachable devices, provisioning, recovery, unmanaged resources. */

const base = quickstart();
const converged = convergedWorld(base);

const cases: Case[] = [
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
      // The client's library would take hsm-b out of rotation if the file came before its assignment.
      expect(conf.dependsOn).toEqual(['client.addServer:app-1.hsm-a', 'partition.assign:hsm-b.hapg1.app-1']);
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
    name: 'drift: a member removed from its HAPG by hand',
    desired: base,
    observed: perturb(converged, removeMember('hsm-b', 'hapg1')),
    ids: ['hapg.addMember:hapg1.hsm-b', 'partition.assign:hsm-b.hapg1.app-1', 'client.writeConfig:app-1'],
    check: (p) => {
      expect(p.drift).toEqual([
        {
          address: 'hapg.hapg1.member.hsm-b',
          description: 'hsm hsm-b was removed from hapg hapg1 out of band, with its partition and the key objects in it',
          actionIds: ['hapg.addMember:hapg1.hsm-b'],
        },
      ]);
      expect(actionById(p, 'hapg.addMember:hapg1.hsm-b').reason).toMatch(/^drift: hsm hsm-b was removed from hapg hapg1 out of band/);
    },
  },
  {
    name: 'a member to add whose HSM has only one SO login attempt left: planned, with a warning that apply will not log in',
    desired: base,
    observed: perturb(converged, removeMember('hsm-b', 'hapg1'), (w) => void (hsmNamed(w, 'hsm-b').soLoginAttemptsLeft = 1)),
    check: (p) => {
      expect(idsOf(p)).toContain('hapg.addMember:hapg1.hsm-b');
      expect(p.warnings).toContain(
        'hsm hsm-b has only 1 SO login attempt left: apply will not log in to add it to hapg hapg1 (one more wrong password would zeroize it). ' +
          'Check its configured SO password, and log in once by hand with the right one to reset the counter',
      );
    },
  },
  {
    name: 'the only member that answers stays while every member that stays is down; it leaves once one answers',
    desired: edit(base, (d) => void (d.hapgs[0]!.members = ['hsm-b'])),
    observed: perturb(converged, cutOff('hsm-b')),
    ids: [],
    check: (p) => {
      expect(p.deferred).toEqual(['hapg.hapg1.member.hsm-a']);
      expect(p.warnings).toContain(
        "hsm hsm-a stays in hapg hapg1 for now: it is the only member that answers (hsm-b cannot be reached), and removing it would leave the group's clients no HSM. It is removed once another member answers",
      );
      const later = plan(edit(base, (d) => void (d.hapgs[0]!.members = ['hsm-b'])), converged);
      expect(idsOf(later)).toContain('hapg.removeMember:hapg1.hsm-a');
      expect(later.deferred).toEqual([]);
    },
  },
  {
    name: 'autoRecovery changed by hand to what the configuration now says too: a change of configuration, not drift',
    desired: edit(base, (d) => d.clients.forEach((c) => (c.autoRecovery = { ...c.autoRecovery, retry: 3, interval: 120 }))),
    observed: perturb(converged, setHa('app-1', { retry: 3 })),
    ids: ['client.setAutoRecovery:app-1'],
    check: (p) => {
      expect(p.drift).toEqual([]);
      expect(actionById(p, 'client.setAutoRecovery:app-1').reason).toBe("client app-1's autoRecovery policy differs from the configuration");
    },
  },
  {
    name: 'autoRecovery changed by hand, and another setting by the configuration: only the first is drift',
    desired: edit(base, (d) => d.clients.forEach((c) => (c.autoRecovery = { ...c.autoRecovery, interval: 120 }))),
    observed: perturb(converged, setHa('app-1', { retry: 3 })),
    ids: ['client.setAutoRecovery:app-1'],
    check: (p) => {
      expect(p.drift.map((d) => d.description)).toEqual(['autoRecovery changed by hand: retry -1 → 3']);
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
    name: 'unreachable is not absent: a powered-off HSM is reported, not re-created',
    desired: base,
    observed: perturb(converged, cutOff('hsm-b', 'power-lost')),
    ids: [],
    check: (p) => {
      expect(p.unreachable).toEqual([expect.objectContaining({ name: 'hsm-b', reachability: 'power-lost' })]);
      expect(p.warnings).toEqual([expect.stringMatching(/^hsm hsm-b is unreachable \(power-lost\)/)]);
      expect(p.hasChanges).toBe(false);
      // Down, but nothing the configuration asks for waits for it.
      expect(p.deferred).toEqual([]);
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
      expect(p.deferred).toEqual(['hapg.hapg1.client.app-2']);
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
      expect(p.deferred).toEqual(expect.arrayContaining(['hsm.hsm-b', 'hapg.hapg1.member.hsm-b']));
    },
  },
  {
    name: 'unreachable: a member of a group that goes does not wait, since deleting the group removes it',
    desired: edit(base, (d) => {
      d.hapgs = [];
      d.clients = [];
    }),
    observed: perturb(converged, cutOff('hsm-b')),
    ids: ['hsm.deregisterClient:hsm-a.app-1', 'hapg.removeMember:hapg1.hsm-a', 'hapg.delete:hapg1', 'client.delete:app-1'],
    check: (p) => {
      expect(actionById(p, 'hapg.delete:hapg1').destructive).toBe(true);
      expect(p.deferred).toEqual([]);
    },
  },
  {
    name: 'leftovers: a partition and a registration that outlived their group and client are named, not removed',
    desired: edit(base, (d) => {
      d.hapgs = [];
      d.clients = [];
    }),
    // What deleting them leaves when hsm-b was down meanwhile: hsm-a was cleaned, hsm-b was not.
    observed: perturb(converged, (w) => {
      w.hapgs = [];
      w.clients = [];
      Object.assign(hsmNamed(w, 'hsm-a'), { partitions: [], clients: [] });
    }),
    ids: [],
    check: (p) => {
      const partition = hsmNamed(converged, 'hsm-b').partitions[0]!.name;
      expect(p.warnings).toEqual([
        `hsm hsm-b holds partition ${partition} (0 key objects), which belongs to no hapg; hsmctl leaves it: delete it on the appliance if nothing needs it (lunash, logged in as SO: partition delete -partition ${partition} -force)`,
        `hsm hsm-b registers client app-1, which the configuration does not declare (assigned ${partition}); hsmctl leaves it: delete it on the appliance if it is not wanted (lunash: client delete -client app-1 -force)`,
      ]);
    },
  },
  {
    name: 'leftovers: a partition of a group hsmctl does not manage is not one',
    desired: base,
    // hsm-a is also a member of a group someone made by hand: its partition there is that group's.
    observed: perturb(converged, (w) => {
      const a = hsmNamed(w, 'hsm-a');
      const partitionName = `hapg-0000beef_${a.serial}`;
      a.partitions.push({ name: partitionName, serial: `${a.serial}009`, objectCount: 2 });
      w.hapgs.push({
        arn: 'arn:aws:cloudhsm:us-east-1:260497620024:hapg-0000beef',
        label: 'by-hand',
        serial: `${a.serial}009`,
        state: 'READY',
        members: [{ hsmArn: a.arn, hsmSerial: a.serial, partitionName, partitionSerial: `${a.serial}009` }],
        registeredClientArns: [],
        tags: {},
      });
    }),
    ids: [],
    check: (p) => {
      expect(p.unmanaged.map((u) => u.name)).toEqual(['by-hand']);
      expect(p.warnings).toEqual([]);
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
    name: 'a protected HSM zeroized out of band is initialized again (nothing left to lose), with a warning to find out why',
    desired: edit(base, (d) => void (d.hsms[1]!.protect = true)),
    observed: perturb(convergedWorld(edit(base, (d) => void (d.hsms[1]!.protect = true))), zeroize('hsm-b')),
    check: (p) => {
      expect(p.applyable).toBe(true);
      expect(idsOf(p)).toContain('hsm.initialize:hsm-b');
      expect(p.warnings).toContain(
        'hsm hsm-b is protected and was zeroized outside hsmctl: its keys are gone, and it is initialized again. Find out why (three wrong SO passwords, or a tamper event) before trusting it again',
      );
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
      expect(p.warnings).toEqual([]);
    },
  },
  {
    name: 'a declared HAPG whose label an unmanaged one has: created beside it, with a warning',
    desired: edit(base, (d) => {
      d.hapgs = [{ ...d.hapgs[0]!, label: 'legacy-group' }];
      d.clients = d.clients.map((c) => ({ ...c, hapgs: ['legacy-group'] }));
    }),
    observed: perturb(convergedWorld(edit(base, (d) => Object.assign(d, { hapgs: [], clients: [] }))), addUnmanaged),
    check: (p) => {
      expect(idsOf(p)).toContain('hapg.create:legacy-group');
      expect(p.warnings).toContainEqual(expect.stringMatching(/^hapg legacy-group: a HAPG with this label exists that hsmctl does not manage \(hapg-\w{8}\); hsmctl creates its own beside it/));
    },
  },
  {
    name: 'a member that needs manual recovery but is still unreachable is left alone',
    desired: base,
    observed: perturb(converged, needsManualRecovery('app-1', 'hapg1', 'hsm-b'), cutOff('hsm-b')),
    ids: [],
  },
  {
    name: 'a reachable member down for good on a client (no automatic attempt will come) is recovered by hand, not drift',
    desired: base,
    observed: perturb(converged, (w) => {
      clientNamed(w, 'app-1').haStatus[0]!.members[1]!.state = 'down';
    }),
    ids: ['hapg.recoverMember:app-1.hapg1.hsm-b'],
    check: (p) => {
      expect(p.drift).toEqual([]);
      expect(actionById(p, 'hapg.recoverMember:app-1.hapg1.hsm-b').reason).toContain('no automatic recovery will bring it back');
    },
  },
  {
    name: 'a reachable member still being retried is left to autoRecovery',
    desired: base,
    observed: perturb(converged, (w) => {
      Object.assign(clientNamed(w, 'app-1').haStatus[0]!.members[1]!, { state: 'recovering', attempts: 3 });
    }),
    ids: [],
  },
  {
    name: 'a reachable member being retried under a policy the plan turns off is recovered by hand',
    desired: edit(base, (d) => {
      d.clients[0]!.autoRecovery = { enabled: false, retry: -1, interval: 60 };
    }),
    observed: perturb(converged, (w) => {
      Object.assign(clientNamed(w, 'app-1').haStatus[0]!.members[1]!, { state: 'recovering', attempts: 3 });
    }),
    ids: ['client.setAutoRecovery:app-1', 'hapg.recoverMember:app-1.hapg1.hsm-b'],
  },
  {
    name: 'a group with no live member is recovered by hand: no automatic attempt can succeed',
    desired: base,
    observed: perturb(converged, (w) => {
      for (const m of clientNamed(w, 'app-1').haStatus[0]!.members) Object.assign(m, { state: 'recovering', attempts: 4 });
    }),
    ids: ['hapg.recoverMember:app-1.hapg1.hsm-a', 'hapg.recoverMember:app-1.hapg1.hsm-b'],
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
];

describe('plan: out-of-band changes and faults', () => {
  it.each(cases)('$name', runCase);
});

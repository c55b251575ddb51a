import { describe, expect, it } from 'vitest';
import { renderChrystokiConf } from '../../../src/fleet/chrystoki.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import { groupsOfConf } from '../../fixtures/worlds/conf.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, hsm, quickstart } from '../../fixtures/worlds/desired.js';
import { clientNamed, deleteApplianceClient, deleteTrustedServer, hapgLabelled, hsmNamed, perturb, revokeAssignment } from '../../fixtures/worlds/perturb.js';

/**
 * A member that joins a group the client is registered to needs its own links (trusted server,
 * registration, partition assignment) before the client's configuration names it. An apply cut
 * short in between leaves the member in the group without them: unfinished work, not drift.
 * Drift is a link missing once the client's configuration was written with the member.
 */
const threeMembers = edit(quickstart(), (d) => {
  d.hsms.push(hsm('hsm-c', { availabilityZone: 'us-east-1c' }));
  d.hapgs[0]!.members.push('hsm-c');
});

/** hsm-c is in hapg1, and none of app-1's links to it exist. */
const linksGone = [deleteTrustedServer('app-1', 'hsm-c'), revokeAssignment('hsm-c', 'app-1', 'hapg1'), deleteApplianceClient('hsm-c', 'app-1')];

/** app-1's configuration was last written before hsm-c joined hapg1. */
const configuredBeforeC = (w: Parameters<typeof hsmNamed>[0]) => {
  const serial = hsmNamed(w, 'hsm-c').serial;
  for (const g of clientNamed(w, 'app-1').haStatus) g.members = g.members.filter((m) => m.hsmSerial !== serial);
};

/** app-1's Chrystoki.conf as written before hsm-c joined hapg1 (its servers and virtual token without it). */
const confBeforeC = (w: Parameters<typeof hsmNamed>[0]) => {
  const h = hsmNamed(w, 'hsm-c');
  const partitionSerial = hapgLabelled(w, 'hapg1').members.find((m) => m.hsmArn === h.arn)!.partitionSerial;
  const c = clientNamed(w, 'app-1');
  c.configuration!.chrystokiConf = renderChrystokiConf({
    clientName: c.name,
    servers: c.servers.map((s) => s.host).filter((host) => host !== h.eniIp),
    groups: groupsOfConf(c.configuration!.chrystokiConf).map((g) => ({ ...g, members: g.members.filter((m) => m !== partitionSerial) })),
    ha: c.ha,
  });
};

const linkKinds = ['client.addServer', 'hsm.registerClient', 'partition.assign'];

describe('what an apply cut short left undone', () => {
  it('are planned as new work, with no drift, when the client was never configured with the member', () => {
    const p = plan(threeMembers, perturb(convergedWorld(threeMembers), ...linksGone, configuredBeforeC), {});
    expect(p.actions.filter((a) => linkKinds.includes(a.kind)).map((a) => [a.kind, a.change, a.reason.startsWith('drift')])).toEqual([
      ['client.addServer', 'create', false],
      ['hsm.registerClient', 'create', false],
      ['partition.assign', 'create', false],
    ]);
    expect(p.actions.map((a) => a.kind)).toContain('client.writeConfig');
    expect(p.drift).toEqual([]);
  });

  it('are drift once the client was configured with the member', () => {
    const p = plan(threeMembers, perturb(convergedWorld(threeMembers), ...linksGone), {});
    // (The assignment went with the registration: re-registering is the drift's remedy.)
    expect(p.drift.map((d) => d.address)).toEqual(['client.app-1.server.hsm-c', 'hsm.hsm-c.client.app-1']);
  });

  it('a revoked assignment is drift only once the client was configured with the member', () => {
    const revoked = perturb(convergedWorld(threeMembers), revokeAssignment('hsm-c', 'app-1', 'hapg1'));
    expect(plan(threeMembers, revoked, {}).drift.map((d) => d.address)).toEqual(['hsm.hsm-c.partition.hapg1.app-1']);
    expect(plan(threeMembers, perturb(revoked, configuredBeforeC), {}).drift).toEqual([]);
  });

  it('a configuration written before a member joined is rewritten, and is not drift', () => {
    // The run made every link to hsm-c, then was cut short before it wrote app-1's configuration.
    const p = plan(threeMembers, perturb(convergedWorld(threeMembers), configuredBeforeC, confBeforeC), {});
    expect(p.actions.map((a) => [a.kind, a.reason])).toEqual([['client.writeConfig', 'Chrystoki.conf on app-1 was written before the members of hapg hapg1 changed']]);
    expect(p.drift).toEqual([]);
  });

  it('a configuration that differs from what it was written with is drift', () => {
    // Same file, but the client library was configured with hsm-c: the file was edited since.
    const p = plan(threeMembers, perturb(convergedWorld(threeMembers), confBeforeC), {});
    expect(p.drift.map((d) => d.description)).toEqual(['Chrystoki.conf on app-1 was changed outside hsmctl']);
  });
});

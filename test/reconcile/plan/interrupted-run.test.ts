import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/reconcile/plan/index.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, hsm, quickstart } from '../../fixtures/worlds/desired.js';
import { clientNamed, deleteApplianceClient, deleteTrustedServer, hsmNamed, perturb, revokeAssignment } from '../../fixtures/worlds/perturb.js';

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

const linkKinds = ['client.addServer', 'hsm.registerClient', 'partition.assign'];

describe('links a run did not get to make', () => {
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
});

import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/reconcile/plan/index.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, hsm, quickstart } from '../../fixtures/worlds/desired.js';
import { hsmNamed, perturb } from '../../fixtures/worlds/perturb.js';

/**
 * Members of a HAPG mirror each other only while they are in rotation: one that was out of it
 * (and never resynchronised) may be the only holder of some objects. Removing the only holder of
 * an object is destructive (SPEC §4); removing a member whose objects all live on elsewhere is not.
 */
const threeMembers = edit(quickstart(), (d) => {
  d.hsms.push(hsm('hsm-c', { availabilityZone: 'us-east-1c' }));
  d.hapgs[0]!.members.push('hsm-c');
});
const twoMembers = edit(threeMembers, (d) => {
  d.hapgs[0]!.members = ['hsm-a', 'hsm-b'];
});

function withHandles(handles: Record<string, number[]>) {
  return perturb(convergedWorld(threeMembers), (w) => {
    for (const [name, list] of Object.entries(handles)) {
      const p = hsmNamed(w, name).partitions[0]!;
      Object.assign(p, { objectCount: list.length, objectHandles: list });
    }
  });
}

const removal = (observed: ReturnType<typeof withHandles>, allowDestroy = false) =>
  plan(twoMembers, observed, { allowDestroy }).actions.find((a) => a.kind === 'hapg.removeMember')!;

describe('removing a HAPG member', () => {
  it('is not destructive when the members that stay hold every object it holds', () => {
    const action = removal(withHandles({ 'hsm-a': [1, 2, 3], 'hsm-b': [1, 2], 'hsm-c': [2, 3] }));
    expect(action.destructive).toBe(false);
  });

  it('is destructive when it alone holds an object, and refused without --allow-destroy', () => {
    const observed = withHandles({ 'hsm-a': [1, 2], 'hsm-b': [1, 2], 'hsm-c': [1, 2, 3] });
    expect(removal(observed).destructive).toBe(true);
    const refused = plan(twoMembers, observed, {});
    expect(refused.applyable).toBe(false);
    expect(plan(twoMembers, observed, { allowDestroy: true }).applyable).toBe(true);
  });

  it('is destructive when no member stays to hold its objects', () => {
    const observed = withHandles({ 'hsm-a': [1], 'hsm-b': [1], 'hsm-c': [1] });
    const empty = edit(threeMembers, (d) => {
      d.hapgs = [];
      d.clients[0]!.hapgs = [];
    });
    const removals = plan(empty, observed, {}).actions.filter((a) => a.kind === 'hapg.removeMember');
    expect(removals.length).toBeGreaterThan(0);
    expect(removals.some((a) => a.destructive)).toBe(true);
  });
});

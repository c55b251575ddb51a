import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/reconcile/plan/index.js';
import { renderPlanScript } from '../../../src/render/plan-script.js';
import { renderPlanText } from '../../../src/render/plan-text.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, hsm, quickstart } from '../../fixtures/worlds/desired.js';
import { deleteApplianceClient, hsmNamed, needsManualRecovery, perturb } from '../../fixtures/worlds/perturb.js';

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
    // Every member is in rotation: no recovery will copy the object, so there is nothing to wait for.
    expect(refused.warnings.filter((w) => w.includes('alone holds'))).toEqual([]);
    expect(refused.refusals).toHaveLength(1);
    // It names what only hsm-c holds: one of its three objects.
    expect(refused.refusals[0]).toMatch(/^hapg\.removeMember hapg1 hsm-c: deletes partition \S+, the only copy of 1 of hapg hapg1's 3 key objects; run with --allow-destroy$/);
    expect(plan(twoMembers, observed, { allowDestroy: true }).applyable).toBe(true);
  });

  it('names every object it holds as lost when the members that stay hold none of them', () => {
    const refused = plan(twoMembers, withHandles({ 'hsm-a': [], 'hsm-b': [], 'hsm-c': [1, 2] }), {});
    expect(refused.refusals).toEqual([expect.stringMatching(/^hapg\.removeMember hapg1 hsm-c: deletes partition \S+, the last copy of hapg hapg1's 2 key objects; run with --allow-destroy$/)]);
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

describe('a member that alone holds objects while the others are out of rotation', () => {
  // hsm-c took writes while hsm-a was out of app-1's rotation; only a recovery by hand brings hsm-a
  // back, and a recovery resynchronises the group, copying hsm-c's objects to hsm-a.
  const diverged = perturb(withHandles({ 'hsm-a': [1, 2], 'hsm-b': [1, 2], 'hsm-c': [1, 2, 3] }), needsManualRecovery('app-1', 'hapg1', 'hsm-a'));

  it('stays for this plan, which recovers the others; the removal is held back, not refused', () => {
    const p = plan(twoMembers, diverged, {});
    expect(p.applyable).toBe(true);
    expect(p.refusals).toEqual([]);
    // Nothing of hsm-c's departure is planned: not the removal, nor the client-side teardown that
    // would take it out of the rotation the recovery copies from.
    expect(p.actions.filter((a) => a.address.includes('hsm-c')).map((a) => a.id)).toEqual([]);
    expect(p.heldBack).toHaveLength(1);
    const [held] = p.heldBack;
    expect(held!.address).toBe('hapg.hapg1.member.hsm-c');
    expect(held!.reason).toContain('1 key object no staying member holds');
    expect(held!.waitsFor).toEqual(['hapg.recoverMember:app-1.hapg1.hsm-a']);
    expect(p.actions.map((a) => a.id)).toEqual(expect.arrayContaining(held!.waitsFor));
    expect(renderPlanText(p, { colour: false })).toContain(
      '\nHeld back until it is safe (this plan works toward it; a later plan makes it):\n' +
        '  hapg.hapg1.member.hsm-c\n' +
        `      # ${held!.reason}\n` +
        '      waits for hapg.recoverMember:app-1.hapg1.hsm-a\n',
    );
    expect(renderPlanScript(p, twoMembers)).toMatch(
      /\n\n# Held back until it is safe \(these steps work toward it\): plan again once they are done\.\n#   hapg\.hapg1\.member\.hsm-c: hsm hsm-c stays in hapg hapg1 for now: .*\n$/,
    );
  });

  it('also recovers the leaving member when it is out of rotation too, so that the recoveries meet', () => {
    const cDown = perturb(diverged, needsManualRecovery('app-1', 'hapg1', 'hsm-c'));
    const p = plan(twoMembers, cDown, {});
    expect(p.applyable).toBe(true);
    expect(p.heldBack.map((h) => h.waitsFor)).toEqual([['hapg.recoverMember:app-1.hapg1.hsm-a', 'hapg.recoverMember:app-1.hapg1.hsm-c']]);
    expect(p.actions.map((a) => a.id)).toEqual(expect.arrayContaining(p.heldBack[0]!.waitsFor));
  });

  it('is refused as before when no recovery by hand would copy the objects', () => {
    // hsm-c is out of app-1's rotation, but its policy retries it: this plan recovers only hsm-a,
    // and that copies nothing from hsm-c.
    const cRetried = perturb(diverged, (w) => {
      const serial = hsmNamed(w, 'hsm-c').serial;
      const member = w.clients.find((c) => c.name === 'app-1')!.haStatus[0]!.members.find((m) => m.hsmSerial === serial)!;
      Object.assign(member, { state: 'recovering', attempts: 1, nextAttemptAt: '2026-01-01T00:01:00.000Z' });
    });
    const p = plan(twoMembers, cRetried, {});
    expect(p.heldBack).toEqual([]);
    expect(p.applyable).toBe(false);
    // It says that waiting for the recovery saves the object, and that --allow-destroy loses it.
    expect(p.warnings).toContain(
      'hsm hsm-c alone holds 1 key object of hapg hapg1, and hsm-a, hsm-c are out of rotation: a recovery (automatic or by hand) copies it to the staying members once hsm hsm-c and one of them are in rotation together. ' +
        'Until then removing hsm hsm-c is destructive: let them recover first rather than use --allow-destroy',
    );
    expect(removal(cRetried).destructive).toBe(true);
  });

  // hsm-a is out of app-1's rotation, and its policy retries it: autoRecovery, not this plan, brings it back.
  const retried = perturb(withHandles({ 'hsm-a': [1, 2], 'hsm-b': [1, 2], 'hsm-c': [1, 2, 3] }), (w) => {
    const serial = hsmNamed(w, 'hsm-a').serial;
    const member = w.clients.find((c) => c.name === 'app-1')!.haStatus[0]!.members.find((m) => m.hsmSerial === serial)!;
    Object.assign(member, { state: 'recovering', attempts: 1, nextAttemptAt: '2026-01-01T00:01:00.000Z' });
  });

  it('stays while this plan repairs what an automatic recovery needs, waiting for no recovery of its own', () => {
    // app-1's registration on hsm-a is gone: no attempt can bring hsm-a back until it is made again.
    const p = plan(twoMembers, perturb(retried, deleteApplianceClient('hsm-a', 'app-1')), {});
    expect(p.applyable).toBe(true);
    expect(p.actions.map((a) => a.kind)).toContain('hsm.registerClient');
    expect(p.actions.filter((a) => a.address.includes('hsm-c')).map((a) => a.id)).toEqual([]);
    expect(p.heldBack.map((h) => [h.address, h.waitsFor])).toEqual([['hapg.hapg1.member.hsm-c', []]]);
    expect(p.heldBack[0]!.reason).toContain('A recovery copies the objects to them once they are back in rotation (this plan repairs what they need)');
    expect(renderPlanText(p, { colour: false })).not.toContain('waits for');
  });

  it('is refused, with the warning to let them recover, when the plan would do nothing else', () => {
    const p = plan(twoMembers, retried, {});
    expect(p.heldBack).toEqual([]);
    expect(p.applyable).toBe(false);
    expect(p.refusals).toHaveLength(1);
    expect(p.refusals[0]).toMatch(
      /^hapg\.removeMember hapg1 hsm-c: deletes partition \S+, the only copy of 1 of hapg hapg1's 3 key objects while members are out of rotation; let them recover first, or run with --allow-destroy to lose it$/,
    );
    expect(p.warnings.some((w) => w.startsWith('hsm hsm-c alone holds 1 key object of hapg hapg1, and hsm-a is out of rotation'))).toBe(true);
  });

  it('is not held back when the HSM leaves the configuration altogether, and the warning still says to wait', () => {
    const withoutC = edit(twoMembers, (d) => {
      d.hsms = d.hsms.filter((h) => h.name !== 'hsm-c');
    });
    const p = plan(withoutC, diverged, {});
    expect(p.heldBack).toEqual([]);
    expect(p.applyable).toBe(false);
    expect(p.warnings.some((w) => w.startsWith('hsm hsm-c alone holds 1 key object of hapg hapg1, and hsm-a is out of rotation'))).toBe(true);
  });

  it('is not held back when a member joins to clone the objects first', () => {
    const withD = edit(twoMembers, (d) => {
      d.hsms.push(hsm('hsm-d', { availabilityZone: 'us-east-1d' }));
      d.hapgs[0]!.members.push('hsm-d');
    });
    const p = plan(withD, diverged, {});
    expect(p.heldBack).toEqual([]);
    expect(p.actions.find((a) => a.kind === 'hapg.removeMember')?.destructive).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { DesiredFleet } from '../../../src/config/types.js';
import { PROTECT_TAG } from '../../../src/fleet/tags.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, hsm, quickstart } from '../../fixtures/worlds/desired.js';
import { cutOff, hsmNamed, perturb } from '../../fixtures/worlds/perturb.js';
import { simulateApply } from '../../fixtures/worlds/simulate.js';
import { actionById } from './assert.js';
import { runCase, type Case } from './case.js';

/**
 * `protect: true` is recorded with the HSM as the `hsmctl:protect` tag: set when the HSM is
 * created, kept in step with the configuration, and honoured once the HSM's block is removed.
 */

const base = quickstart();
/** The quickstart with these HSMs declared `protect: true`. */
const protecting = (...names: string[]): DesiredFleet =>
  edit(base, (d) => d.hsms.forEach((h) => Object.assign(h, { protect: names.includes(h.name) })));
/** The quickstart without hsm-b (neither declared nor a member). */
const withoutHsmB = edit(base, (d) => {
  d.hsms = d.hsms.filter((h) => h.name !== 'hsm-b');
  d.hapgs[0]!.members = ['hsm-a'];
});

const cases: Case[] = [
  {
    name: 'a protected HSM is created with the tag (no separate action); an unprotected one, as before',
    desired: edit(protecting('hsm-a', 'hsm-b'), (d) => {
      d.hsms.push(hsm('hsm-c', { availabilityZone: 'us-east-1c', protect: true }), hsm('hsm-d', { availabilityZone: 'us-east-1d' }));
      d.hapgs[0]!.members.push('hsm-c');
    }),
    observed: convergedWorld(protecting('hsm-a', 'hsm-b')),
    check: (p) => {
      const create = actionById(p, 'hsm.create:hsm-c');
      expect(create.params).toMatchObject({ hsmName: 'hsm-c', protect: true });
      expect(create.after).toMatchObject({ protect: true });
      expect(p.actions.some((a) => a.kind === 'hsm.setProtection')).toBe(false);
      // Unprotected plans read as they always did.
      expect(actionById(p, 'hsm.create:hsm-d').params).not.toHaveProperty('protect');
      expect(actionById(p, 'hsm.create:hsm-d').after).not.toHaveProperty('protect');
    },
  },
  {
    name: 'protect false → true on an unreachable HSM tags it too (tags are the control plane\'s)',
    desired: protecting('hsm-b'),
    observed: perturb(convergedWorld(base), cutOff('hsm-b')),
    ids: ['hsm.setProtection:hsm-b'],
  },
  {
    name: 'protect false → true on an existing HSM tags it',
    desired: protecting('hsm-a'),
    observed: convergedWorld(base),
    ids: ['hsm.setProtection:hsm-a'],
    check: (p) => {
      const a = actionById(p, 'hsm.setProtection:hsm-a');
      expect(a).toMatchObject({
        address: 'hsm.hsm-a.protect',
        resource: { type: 'hsm', name: 'hsm-a' },
        change: 'update',
        destructive: false,
        before: { protect: false },
        after: { protect: true },
        params: { hsmName: 'hsm-a', hsmArn: hsmNamed(convergedWorld(base), 'hsm-a').arn, protect: true },
      });
      expect(a.reason).toBe(
        'hsm hsm-a is declared with protect: true; the hsmctl:protect tag records it on the device, so the HSM stays protected if its block is removed',
      );
      expect(p.applyable).toBe(true);
    },
  },
  {
    name: 'protect true → false on an existing HSM removes its tag',
    desired: base,
    observed: convergedWorld(protecting('hsm-a')),
    ids: ['hsm.setProtection:hsm-a'],
    check: (p) => {
      const a = actionById(p, 'hsm.setProtection:hsm-a');
      expect(a).toMatchObject({ change: 'update', before: { protect: true }, after: { protect: false }, params: { protect: false } });
      expect(a.reason).toBe('hsm hsm-a is declared with protect: false, but its hsmctl:protect tag still protects it');
    },
  },
  {
    name: 'a converged protected HSM plans nothing; one without its tag gets it',
    desired: protecting('hsm-a', 'hsm-b'),
    observed: convergedWorld(protecting('hsm-a')),
    ids: ['hsm.setProtection:hsm-b'],
  },
  {
    name: 'a tagged HSM that left the configuration is refused, even with --allow-destroy',
    desired: withoutHsmB,
    observed: convergedWorld(protecting('hsm-b')),
    options: { allowDestroy: true },
    check: (p) => {
      expect(p.applyable).toBe(false);
      expect(p.refusals).toEqual([
        'hsm.zeroize hsm-b: hsm hsm-b is protected (its hsmctl:protect tag, from protect: true) and cannot be zeroized; declare it again with protect: false and apply, then remove it',
        'hsm.delete hsm-b: hsm hsm-b is protected (its hsmctl:protect tag, from protect: true) and cannot be deleted; declare it again with protect: false and apply, then remove it',
      ]);
    },
  },
  {
    name: 'a tagged HSM that left the configuration: without --allow-destroy, only protection is given as the reason',
    desired: withoutHsmB,
    observed: convergedWorld(protecting('hsm-b')),
    check: (p) => {
      expect(p.refusals).toContain(
        'hsm.delete hsm-b: hsm hsm-b is protected (its hsmctl:protect tag, from protect: true) and cannot be deleted; declare it again with protect: false and apply, then remove it',
      );
      // --allow-destroy cannot help a protected HSM: it is not advised.
      expect(p.refusals.filter((r) => r.startsWith('hsm.') && r.includes('--allow-destroy'))).toEqual([]);
    },
  },
  {
    name: 'a tagged HSM that left the configuration and cannot be reached is not listed as waiting: it will be refused',
    desired: withoutHsmB,
    observed: perturb(convergedWorld(protecting('hsm-b')), cutOff('hsm-b')),
    check: (p) => {
      expect(p.deferred).not.toContain('hsm.hsm-b');
      expect(p.warnings).toContainEqual(expect.stringContaining('it is protected (its hsmctl:protect tag), so it will not be deleted then either'));
    },
  },
  {
    name: 'a declared HSM is judged by its configuration, not its tag: protect: false may be re-initialized',
    desired: edit(base, (d) => Object.assign(d.hsms[0]!, { label: 'prod-a2' })),
    observed: convergedWorld(protecting('hsm-a')),
    options: { allowDestroy: true },
    check: (p) => {
      expect(p.applyable).toBe(true);
      expect(actionById(p, 'hsm.zeroize:hsm-a').destructive).toBe(true);
      expect(actionById(p, 'hsm.setProtection:hsm-a').params).toMatchObject({ protect: false });
    },
  },
];

describe('plan: protect recorded with the HSM', () => {
  it.each(cases)('$name', runCase);

  it('the tag alone makes the difference: the same removal of an untagged HSM is allowed with --allow-destroy', () => {
    const tagged = plan(withoutHsmB, convergedWorld(protecting('hsm-b')), { allowDestroy: true });
    const untagged = plan(withoutHsmB, convergedWorld(base), { allowDestroy: true });
    expect(tagged.applyable).toBe(false);
    expect(untagged.applyable).toBe(true);
    expect(untagged.refusals).toEqual([]);
    expect(untagged.actions.map((a) => a.id)).toEqual(tagged.actions.map((a) => a.id));
    expect(untagged.actions.map((a) => a.id)).toEqual(expect.arrayContaining(['hsm.zeroize:hsm-b', 'hsm.delete:hsm-b']));
  });

  it.each([
    { name: 'false → true', desired: protecting('hsm-a'), observed: convergedWorld(base) },
    { name: 'true → false', desired: base, observed: convergedWorld(protecting('hsm-a')) },
  ])('a protection change ($name), once applied, leaves nothing to plan', ({ desired, observed }) => {
    const first = plan(desired, observed);
    expect(first.actions.map((a) => a.kind)).toEqual(['hsm.setProtection']);
    const after = simulateApply(first, observed);
    expect(plan(desired, after).actions).toEqual([]);
    expect(after).toEqual(convergedWorld(desired));
    expect(PROTECT_TAG in hsmNamed(after, 'hsm-a').tags).toBe(desired.hsms[0]!.protect);
  });
});

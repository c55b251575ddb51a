import { describe, expect, it } from 'vitest';
import { ActionList } from '../../../src/reconcile/plan/action-list.js';
import { plan } from '../../../src/reconcile/plan/index.js';
import type { Action } from '../../../src/reconcile/plan/types.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, quickstart } from '../../fixtures/worlds/desired.js';
import { clientNamed, perturb } from '../../fixtures/worlds/perturb.js';
import { expectWellFormed } from './assert.js';

/** A minimal action of `kind` with this key and reason (only what the list looks at matters). */
function action(kind: Action['kind'], key: string, reason: string): Action {
  return { id: `${kind}:${key}`, kind, reason } as Action;
}

describe('ActionList', () => {
  const cases: { name: string; add: Action[]; asks: [id: string, expected: boolean][] }[] = [
    { name: 'nothing added', add: [], asks: [['hsm.create:a', false]] },
    {
      name: 'ids of several kinds',
      add: [action('hsm.create', 'a', '1'), action('client.create', 'a', '2')],
      asks: [['hsm.create:a', true], ['client.create:a', true], ['hsm.create:b', false], ['hsm.delete:a', false]],
    },
  ];
  it.each(cases)('has: $name', ({ add, asks }) => {
    const list = new ActionList();
    for (const a of add) list.add(a);
    for (const [id, expected] of asks) expect(list.has(id), id).toBe(expected);
  });

  it('has sees actions added after it was first asked about their kind', () => {
    const list = new ActionList();
    expect(list.has('hsm.create:a')).toBe(false);
    list.add(action('hsm.create', 'a', '1'));
    expect(list.has('hsm.create:a')).toBe(true);
  });

  it('unique keeps the first position of an id and the content added last, as a map by id does', () => {
    const list = new ActionList();
    list.add(action('hsm.create', 'a', 'first'));
    list.add(action('client.create', 'b', 'other'));
    list.add(action('hsm.create', 'a', 'last'));
    const once = list.unique();
    expect(once.actions.map((a) => [a.id, a.reason])).toEqual([
      ['hsm.create:a', 'last'],
      ['client.create:b', 'other'],
    ]);
    expect(once.ids).toEqual(['hsm.create:a', 'client.create:b']);
    expect([...once.byKind]).toEqual([['hsm.create', [0]], ['client.create', [1]]]);
  });
});

describe('an id planned twice', () => {
  it('a client trusting a server twice that it no longer uses gets one deleteServer', () => {
    const desired = quickstart();
    const fewer = edit(desired, (d) => {
      d.hapgs[0]!.members = ['hsm-a'];
    });
    const observed = perturb(convergedWorld(desired), (w) => {
      const c = clientNamed(w, 'app-1');
      c.servers.push(...c.servers.map((s) => ({ ...s })));
    });
    const p = plan(fewer, observed, {});
    expectWellFormed(p);
    expect(p.actions.filter((a) => a.kind === 'client.deleteServer' && a.params.clientName === 'app-1').map((a) => a.id)).toEqual([
      'client.deleteServer:app-1.hsm-b',
    ]);
  });
});

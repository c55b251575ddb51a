import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/reconcile/plan/types.js';
import { concerns, type GroupScope } from '../../src/status/related.js';

/** Which actions keep a HAPG out of sync: table of kinds against one group's scope. */

const scope: GroupScope = { label: 'hapg1', members: new Set(['hsm-a', 'hsm-b']), clients: new Set(['app-1']) };

function action(kind: string, resource: Action['resource'], params: object): Action {
  return { id: `${kind}:x`, kind, address: 'x', resource, change: 'update', dependsOn: [], destructive: false, reason: '', before: null, after: null, params } as Action;
}

const cases: { name: string; action: Action; expected: boolean }[] = [
  { name: 'the group itself', action: action('hapg.create', { type: 'hapg', name: 'hapg1' }, { hapgLabel: 'hapg1' }), expected: true },
  { name: 'another group', action: action('hapg.create', { type: 'hapg', name: 'hapg2' }, { hapgLabel: 'hapg2' }), expected: false },
  {
    name: 'a member of another group that is also ours',
    action: action('hapg.addMember', { type: 'hapg', name: 'hapg2' }, { hapgLabel: 'hapg2', hsmName: 'hsm-a' }),
    expected: false,
  },
  { name: 'one of its members', action: action('hsm.initialize', { type: 'hsm', name: 'hsm-b' }, { hsmName: 'hsm-b' }), expected: true },
  { name: 'an HSM outside it', action: action('hsm.initialize', { type: 'hsm', name: 'hsm-c' }, { hsmName: 'hsm-c' }), expected: false },
  {
    name: "a member's protection tag (nothing the group serves)",
    action: action('hsm.setProtection', { type: 'hsm', name: 'hsm-a' }, { hsmName: 'hsm-a', protect: true }),
    expected: false,
  },
  {
    name: 'a partition of the group on a member',
    action: action('partition.assign', { type: 'hsm', name: 'hsm-a' }, { hsmName: 'hsm-a', hapgLabel: 'hapg1', clientName: 'app-1' }),
    expected: true,
  },
  {
    name: "one of its clients' configuration naming the group",
    action: action('client.writeConfig', { type: 'client', name: 'app-2' }, { clientName: 'app-2', hapgLabels: ['hapg1'], hapgArns: {} }),
    expected: true,
  },
  { name: "one of its clients' autoRecovery", action: action('client.setAutoRecovery', { type: 'client', name: 'app-1' }, { clientName: 'app-1' }), expected: true },
  { name: 'a client outside it', action: action('client.create', { type: 'client', name: 'app-9' }, { clientName: 'app-9' }), expected: false },
];

describe('an action concerns a group', () => {
  it.each(cases)('$name: $expected', ({ action: a, expected }) => {
    expect(concerns(a, scope)).toBe(expected);
  });
});

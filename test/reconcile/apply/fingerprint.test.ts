import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import { shortId } from '../../../src/fleet/resolve.js';
import { canonicalJson, changedResources, configFingerprint, resourceFingerprints } from '../../../src/reconcile/fingerprint.js';
import { convergedWorld } from '../../fixtures/worlds/converged.js';
import { edit, quickstart, SECRET_VALUES } from '../../fixtures/worlds/desired.js';

describe('fingerprints of saved plans', () => {
  it('canonical JSON sorts keys at every level and shows a secret by its reference only', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(canonicalJson({ pw: new Secret('hunter2', { env: 'PW' }) })).toBe('{"pw":{"secret":{"env":"PW"}}}');
  });

  it('one fingerprint per resource, by address; unchanged by time alone (observation time, HA timers)', () => {
    const world = convergedWorld(quickstart());
    const prints = resourceFingerprints(world);
    expect(Object.keys(prints).sort()).toEqual(['client.app-1', 'hapg.hapg1', 'hsm.hsm-a', 'hsm.hsm-b']);
    const later = structuredClone(world);
    later.observedAt = '2031-05-05T00:00:00.000Z';
    const member = later.clients[0]!.haStatus[0]!.members[0]!;
    member.attempts = 7;
    member.nextAttemptAt = '2031-05-05T00:01:00.000Z';
    expect(changedResources(prints, resourceFingerprints(later))).toEqual([]);
  });

  it('names what changed, appeared or disappeared', () => {
    const world = convergedWorld(quickstart());
    const prints = resourceFingerprints(world);
    const changed = structuredClone(world);
    changed.hsms[0]!.clients[0]!.partitions = [];
    changed.clients[0]!.haStatus[0]!.members[0]!.state = 'down';
    const stray = { ...structuredClone(world.hsms[1]!), arn: world.hsms[1]!.arn.replace(/hsm-\w+$/, 'hsm-0badf00d'), tags: {} };
    changed.hsms.push(stray);
    changed.hapgs = [];
    expect(changedResources(prints, resourceFingerprints(changed))).toEqual([
      'client.app-1 changed',
      'hapg.hapg1 was removed',
      `hsm.${shortId(stray.arn)} was added`,
      'hsm.hsm-a changed',
    ]);
  });

  it('a cloning domain found different counts as a change of that HSM', () => {
    const world = convergedWorld(quickstart());
    expect(changedResources(resourceFingerprints(world), resourceFingerprints(world, ['hsm-b']))).toEqual(['hsm.hsm-b changed']);
  });

  it('the configuration fingerprint follows what is declared, not where, and never a secret value', () => {
    const desired = quickstart();
    const moved = edit(desired, (d) => {
      d.hsms[0]!.source = { ...d.hsms[0]!.source, line: 99 };
      d.files = ['elsewhere.yaml'];
    });
    expect(configFingerprint(moved)).toBe(configFingerprint(desired));
    expect(configFingerprint(edit(desired, (d) => void (d.hsms[0]!.label = 'other')))).not.toBe(configFingerprint(desired));
    const otherRef = edit(desired, (d) => void (d.hsms[0]!.soPassword = new Secret('x', { env: 'OTHER' })));
    expect(configFingerprint(otherRef)).not.toBe(configFingerprint(desired));
    const json = canonicalJson(desired);
    for (const value of SECRET_VALUES) expect(json).not.toContain(value);
  });
});

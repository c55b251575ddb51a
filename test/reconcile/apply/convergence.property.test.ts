import fc from 'fast-check';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import type { AutoRecoveryPolicy, DesiredClient, DesiredFleet, DesiredHapg, DesiredHsm } from '../../../src/config/types.js';
import { createEmulator, type WorldEmulator } from '../../../src/emulator/index.js';
import { memoryStore } from '../../../src/emulator/store/memory.js';
import { NAME_TAG } from '../../../src/fleet/tags.js';
import { applyPlan } from '../../../src/reconcile/apply/executor.js';
import { planFor, watched } from './world.js';

/**
 * For any desired fleet: apply converges; after random out-of-band changes (revoked assignments,
 * deleted servers and registrations, HA policy changed by hand, members failed and restored,
 * members removed, HAPGs deleted, HSMs zeroized, time passing) a second apply converges without
 * --allow-destroy; a third finds nothing to do and changes nothing. Whatever order the actions
 * finish in, at any parallelism. And when a member leaves its group after key objects were written
 * while members were away (the leaving one holding most of those the others lack), no key object
 * is lost without --allow-destroy, and a few rounds of plan and apply (or, when refused, time for
 * autoRecovery) converge.
 */

// The emulator's secret hashing at a tiny scrypt cost, so 200 fleets run in seconds. Same contract.
vi.mock(import('../../../src/emulator/world/secrets.js'), () => ({
  async hashAhead() {},
  hashSecret(secret: string) {
    const salt = randomBytes(8);
    return { salt: salt.toString('hex'), hash: scryptSync(secret, salt, 16, { N: 2, r: 1, p: 1 }).toString('hex'), n: 2 };
  },
  verifySecret(secret: string, stored: { salt: string; hash: string; n: number }) {
    const expected = Buffer.from(stored.hash, 'hex');
    const actual = scryptSync(secret, Buffer.from(stored.salt, 'hex'), expected.length, { N: stored.n, r: 1, p: 1 });
    return timingSafeEqual(actual, expected);
  },
}));

const CLONING_DOMAIN = new Secret('prop-cloning-domain', { env: 'CD' });
const source = { file: 'fleet.yaml', line: 1, col: 1, path: '' };
const DISABLED: AutoRecoveryPolicy = { enabled: false, retry: 0, interval: 60 };

const policy = fc.record({
  enabled: fc.boolean(),
  retry: fc.constantFrom(-1, 0, 2, 10, 500),
  interval: fc.constantFrom(60, 90, 600, 1200),
});

/** A desired fleet: 1–8 HSMs, 1–3 HAPGs of 1+ members, 0–5 clients using 0+ groups. */
const desiredFleet = fc
  .record({
    zones: fc.array(fc.constantFrom('us-east-1a', 'us-east-1b', 'us-east-1c'), { minLength: 8, maxLength: 8 }),
    hsmCount: fc.integer({ min: 1, max: 8 }),
    groups: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }),
    clients: fc.array(fc.record({ groups: fc.array(fc.nat(), { maxLength: 3 }), override: fc.option(policy, { nil: undefined }) }), { maxLength: 5 }),
    global: fc.option(policy, { nil: undefined }),
  })
  .map(({ zones, hsmCount, groups, clients, global }): DesiredFleet => {
    const hsms: DesiredHsm[] = Array.from({ length: hsmCount }, (_, i) => ({
      name: `hsm-${i}`,
      availabilityZone: zones[i]!,
      label: `label-${i}`,
      cloningDomain: CLONING_DOMAIN,
      soPassword: new Secret(`so-${i}`, { env: `SO_${i}` }),
      protect: false,
      source,
    }));
    const hapgs: DesiredHapg[] = groups.map((picks, g) => ({
      label: `hapg${g + 1}`,
      members: [...new Set(picks.map((p) => `hsm-${p % hsmCount}`))],
      partitionPassword: new Secret(`pp-${g}`, { env: `PP_${g}` }),
      source,
    }));
    const declared: DesiredClient[] = clients.map((c, i) => ({
      name: `app-${i + 1}`,
      hapgs: [...new Set(c.groups.map((p) => hapgs[p % hapgs.length]!.label))].sort(),
      autoRecovery: c.override ?? global ?? DISABLED,
      source,
    }));
    return { hsms, hapgs, clients: declared, autoRecovery: global, files: ['fleet.yaml'] };
  });

/** An out-of-band change, as an operator or a fault would make it; its picks index what exists. */
const perturbation = fc.oneof(
  fc.record({ op: fc.constant('revokeAssignment' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('deleteServer' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('deleteApplianceClient' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('setHa' as const), pick: fc.nat(), settings: policy }),
  fc.record({ op: fc.constant('failAndRestore' as const), pick: fc.nat(), mode: fc.constantFrom('power' as const, 'network' as const) }),
  fc.record({ op: fc.constant('removeMember' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('deleteHapg' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('zeroize' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 600 }) }),
);
type Perturbation = typeof perturbation extends fc.Arbitrary<infer T> ? T : never;

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

/** Applies one change through the emulator's own operations; a refusal leaves the world as it was. */
async function perturb(emu: WorldEmulator, p: Perturbation): Promise<void> {
  const w = await emu.describe();
  const managed = w.hsms.filter((h) => h.tags[NAME_TAG] !== undefined);
  try {
    switch (p.op) {
      case 'revokeAssignment': {
        const entries = managed.flatMap((h) => h.clients.flatMap((c) => c.partitions.map((partitionName) => ({ hsmArn: h.arn, clientName: c.id, partitionName }))));
        const e = pick(entries, p.pick);
        if (e) await emu.revokePartition(e);
        return;
      }
      case 'deleteServer': {
        const servers = w.clients.flatMap((c) => c.servers.map((s) => ({ clientName: c.name, host: s.host })));
        const s = pick(servers, p.pick);
        if (s) await emu.deleteServer(s);
        return;
      }
      case 'deleteApplianceClient': {
        const entries = managed.flatMap((h) => h.clients.map((c) => ({ hsmArn: h.arn, clientName: c.id })));
        const e = pick(entries, p.pick);
        if (e) await emu.deleteClientOnHsm(e);
        return;
      }
      case 'setHa': {
        const c = pick(w.clients, p.pick);
        if (c) await emu.setHaSettings({ clientName: c.name, settings: { autoRecovery: p.settings.enabled, retry: p.settings.retry, interval: p.settings.interval, haOnly: true } });
        return;
      }
      case 'failAndRestore': {
        const h = pick(managed, p.pick);
        if (h) {
          await emu.fail(h.arn, p.mode);
          await emu.restore(h.arn);
        }
        return;
      }
      case 'removeMember': {
        const members = w.hapgs.flatMap((g) => g.members.map((m) => ({ hsmArn: m.hsmArn, hapgArn: g.arn })));
        const m = pick(members, p.pick);
        if (m) await emu.removeHsmFromHapg(m);
        return;
      }
      case 'deleteHapg': {
        const g = pick(w.hapgs, p.pick);
        if (g) await emu.deleteHapg(g.arn);
        return;
      }
      case 'zeroize': {
        const h = pick(managed, p.pick);
        if (h) await emu.zeroizeHsm(h.arn);
        return;
      }
      case 'advance':
        await emu.advance(p.minutes * 60_000);
        return;
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === 'DeviceError')) throw err;
  }
}

/**
 * The order in which ready actions finish: every driver call first yields to the event loop 0–3
 * times, as drawn from `seed`, so calls finish in an order that neither the plan's order nor the
 * scheduler's fixes. The plan's dependencies, not luck, must make every order converge.
 */
const order = fc.record({ seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }), parallelism: fc.constantFrom(1, 2, 4, 10) });

function jittered(emu: WorldEmulator, seed: number): WorldEmulator {
  let state = seed;
  const next = (): number => (state = (state * 48271) % 2147483647);
  return watched(emu, async (_call, proceed) => {
    for (let i = next() % 4; i > 0; i--) await new Promise((r) => setImmediate(r));
    return proceed();
  }).driver as WorldEmulator;
}

describe('apply converges (property)', () => {
  it('for any fleet and any out-of-band changes: apply, perturb, apply converges; a third apply changes nothing', { timeout: 120_000 }, async () => {
    let seedNo = 0;
    await fc.assert(
      fc.asyncProperty(desiredFleet, fc.array(perturbation, { maxLength: 6 }), order, async (desired, changes, { seed, parallelism }) => {
        const emu = createEmulator(memoryStore(), { seed: `property-${seedNo++}` });
        const driver = jittered(emu, seed);
        const first = await applyPlan(await planFor(emu, desired), { driver, desired, parallelism });
        expect(first.outcome, 'first apply').toBe('complete');

        for (const change of changes) await perturb(emu, change);
        const replan = await planFor(emu, desired);
        expect(replan.refusals, 'no destroy needed to converge').toEqual([]);
        const second = await applyPlan(replan, { driver, desired, parallelism });
        expect(second.actions.filter((a) => a.status !== 'done'), 'second apply').toEqual([]);
        const leftover = second.verification?.remaining;
        expect(leftover?.actions.map((a) => `${a.id}: ${a.reason}`), 'plan after the second apply').toEqual([]);

        const before = await emu.describe();
        const third = await planFor(emu, desired);
        expect(third.hasChanges).toBe(false);
        const result = await applyPlan(third, { driver: emu, desired });
        expect(result.actions).toEqual([]);
        expect({ ...(await emu.describe()), observedAt: '' }).toEqual({ ...before, observedAt: '' });
      }),
      { numRuns: 200 },
    );
  });

  it('for any fleet replaced by any other (with --allow-destroy): apply converges in any order; the next plan is empty', { timeout: 120_000 }, async () => {
    let seedNo = 0;
    await fc.assert(
      fc.asyncProperty(desiredFleet, desiredFleet, order, async (before, after, { seed, parallelism }) => {
        const emu = createEmulator(memoryStore(), { seed: `replace-${seedNo++}` });
        const driver = jittered(emu, seed);
        expect((await applyPlan(await planFor(emu, before), { driver, desired: before, parallelism })).outcome, 'first apply').toBe('complete');

        const replace = await planFor(emu, after, true);
        const second = await applyPlan(replace, { driver, desired: after, parallelism, allowDestroy: true });
        expect(second.actions.filter((a) => a.status !== 'done'), 'second apply').toEqual([]);
        expect(second.verification?.remaining?.actions.map((a) => `${a.id}: ${a.reason}`), 'plan after the second apply').toEqual([]);
        expect((await planFor(emu, after, true)).hasChanges).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

/** Members go away, a key object is written through a client meanwhile (only the members left take it), and they come back. */
const writeWhileAway = fc.record({ op: fc.constant('writeWhileAway' as const), client: fc.nat(), group: fc.nat(), away: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) });
type WriteWhileAway = typeof writeWhileAway extends fc.Arbitrary<infer T> ? T : never;

async function writeKey(emu: WorldEmulator, p: WriteWhileAway, label: string): Promise<void> {
  const w = await emu.describe();
  const client = pick(w.clients.filter((c) => c.hapgArns.length > 0), p.client);
  const group = client === undefined ? undefined : w.hapgs.find((g) => g.arn === pick(client.hapgArns, p.group));
  if (client === undefined || group === undefined || group.members.length === 0) return;
  const away = [...new Set(p.away.map((n) => pick(group.members, n)!.hsmArn))];
  try {
    for (const arn of away) await emu.fail(arn, 'network');
    await emu.createKey({ clientName: client.name, hapgLabel: group.label, label });
  } catch (err) {
    if (!(err instanceof Error && err.name === 'DeviceError')) throw err;
  } finally {
    for (const arn of away) await emu.restore(arn);
  }
}

/** The member of a group (by name) that holds most objects no other member holds; none when no member does. */
async function soleHolder(emu: WorldEmulator, label: string): Promise<string | undefined> {
  const w = await emu.describe();
  const members = (w.hapgs.find((g) => g.label === label)?.members ?? []).flatMap((m) => {
    const h = w.hsms.find((x) => x.arn === m.hsmArn);
    const name = h?.tags[NAME_TAG];
    return name === undefined ? [] : [{ name, handles: h!.partitions.find((p) => p.name === m.partitionName)?.objectHandles ?? [] }];
  });
  const sole = members.map((m) => ({ name: m.name, count: m.handles.filter((x) => !members.some((o) => o !== m && o.handles.includes(x))).length }));
  const best = sole.sort((a, b) => b.count - a.count)[0];
  return best !== undefined && best.count > 0 ? best.name : undefined;
}

/** The labels of the key objects each group holds. */
async function keysByGroup(emu: WorldEmulator): Promise<Map<string, Set<string>>> {
  const held = new Map<string, Set<string>>();
  for (const g of (await emu.describe()).hapgs) held.set(g.label, new Set((await emu.listKeys(g.arn)).map((k) => k.label)));
  return held;
}

describe('members leave their groups (property)', () => {
  it('without --allow-destroy no key object is lost, and the fleet converges once members can recover', { timeout: 120_000 }, async () => {
    let seedNo = 0;
    await fc.assert(
      fc.asyncProperty(
        desiredFleet,
        fc.array(fc.oneof(perturbation, writeWhileAway, writeWhileAway), { maxLength: 8 }),
        fc.nat(),
        order,
        async (desired, changes, leaving, { seed, parallelism }) => {
          const groups = desired.hapgs.filter((g) => g.members.length >= 2);
          fc.pre(groups.length > 0);
          const emu = createEmulator(memoryStore(), { seed: `leave-${seedNo++}` });
          const driver = jittered(emu, seed);
          expect((await applyPlan(await planFor(emu, desired), { driver, desired, parallelism })).outcome, 'first apply').toBe('complete');
          let keyNo = 0;
          for (const change of changes) {
            if (change.op === 'writeWhileAway') await writeKey(emu, change, `key-${keyNo++}`);
            else await perturb(emu, change);
          }

          // One member leaves one group: the one holding most objects no other member holds, if any.
          const group = pick(groups, leaving)!;
          const gone = (await soleHolder(emu, group.label)) ?? pick(group.members, Math.floor(leaving / groups.length))!;
          const shrunk: DesiredFleet = { ...desired, hapgs: desired.hapgs.map((g) => (g === group ? { ...g, members: g.members.filter((m) => m !== gone) } : g)) };

          const before = await keysByGroup(emu);
          let converged = false;
          for (let round = 0; round < 6 && !converged; round++) {
            const plan = await planFor(emu, shrunk);
            if (!plan.hasChanges) converged = true;
            else if (plan.applyable) {
              const result = await applyPlan(plan, { driver, desired: shrunk, parallelism });
              expect(result.actions.filter((a) => a.status !== 'done'), `apply in round ${round}`).toEqual([]);
            } else {
              // Refused: a removal would take the last copy while members are away; time lets them recover.
              await emu.advance(2 * 3_600_000);
            }
            const now = await keysByGroup(emu);
            for (const [label, keys] of before) {
              const kept = now.get(label) ?? new Set<string>();
              expect([...keys].filter((k) => !kept.has(k)), `key objects of ${label} lost in round ${round}`).toEqual([]);
            }
          }
          expect(converged, 'converged within 6 rounds').toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

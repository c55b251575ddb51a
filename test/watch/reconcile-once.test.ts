import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { DesiredFleet } from '../../src/config/index.js';
import { UserError } from '../../src/errors.js';
import type { ApplyEvent } from '../../src/reconcile/apply/events.js';
import { reconcileOnce, type PassOptions } from '../../src/reconcile/pass.js';
import type { Plan } from '../../src/reconcile/plan/types.js';
import { workspace, type Workspace } from '../reconcile/apply/fixtures.js';

/** One reconcile pass, on the real emulator in a temporary state directory. */

async function desiredOf(ws: Workspace): Promise<DesiredFleet> {
  const loaded = await loadConfig(ws.config, { env: {}, cwd: ws.dir });
  if (loaded.fleet === undefined) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.fleet;
}

function options(ws: Workspace, desired: DesiredFleet, extra: Partial<PassOptions> = {}): PassOptions & { plans: Plan[]; events: ApplyEvent[]; inSync: number[] } {
  const plans: Plan[] = [];
  const events: ApplyEvent[] = [];
  const inSync: number[] = [];
  return {
    driver: ws.emulator(),
    stateDir: ws.state,
    desired,
    apply: false,
    allowDestroy: false,
    lock: { operation: 'test', timeoutMs: 0 },
    onPlan: (p) => plans.push(p),
    emit: (e) => events.push(e),
    onInSync: async () => void inSync.push(plans.length),
    plans,
    events,
    inSync,
    ...extra,
  };
}

describe('reconcileOnce', () => {
  it('only plans when not applying: no lock, no journal, nothing written', async () => {
    const ws = workspace();
    const o = options(ws, await desiredOf(ws));
    const result = await reconcileOnce(o);
    expect(result.outcome).toBe('pending');
    expect(result.plan.actions).toHaveLength(17);
    expect(o.plans).toEqual([result.plan]);
    expect(o.inSync).toEqual([]);
    expect(existsSync(ws.state) ? readdirSync(ws.state) : []).toEqual([]);
  });

  it('applies under the lock, releases it, journals the run, and finds nothing to do the second time', async () => {
    const ws = workspace();
    const desired = await desiredOf(ws);
    const o = options(ws, desired, { apply: true });
    const first = await reconcileOnce(o);
    expect(first.outcome).toBe('applied');
    if (first.outcome !== 'applied') return;
    expect(first.result.outcome).toBe('complete');
    expect(first.result.counts.added).toBe(17);
    expect(o.events.filter((e) => e.type === 'action.done')).toHaveLength(17);
    expect(o.inSync).toEqual([1]);
    expect(existsSync(join(ws.state, 'hsmctl.lock'))).toBe(false);
    expect(existsSync(join(ws.state, 'journal.jsonl'))).toBe(true);

    const again = options(ws, desired, { apply: true });
    const second = await reconcileOnce(again);
    expect(second.outcome).toBe('in-sync');
    expect(again.inSync).toEqual([1]);
    expect(again.events).toEqual([]);
  });

  it('throws the lock error when another live process holds the lock, and changes nothing', async () => {
    const ws = workspace();
    await ws.emulator().createHapg({ label: 'unrelated' });
    const holder = { holder: 'ann@h', pid: process.pid, host: hostname(), operation: 'apply', since: '2024-01-01T00:00:00.000Z' };
    writeFileSync(join(ws.state, 'hsmctl.lock'), JSON.stringify(holder));
    const o = options(ws, await desiredOf(ws), { apply: true });
    const error = await reconcileOnce(o).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('lock.held');
    expect(o.plans).toEqual([]);
    expect((await ws.emulator().describe()).hsms).toEqual([]);
    expect(JSON.parse(readFileSync(join(ws.state, 'hsmctl.lock'), 'utf8')).pid).toBe(process.pid);
  });

  it('refuses a destructive plan without allowDestroy, and does nothing', async () => {
    const ws = workspace();
    const desired = await desiredOf(ws);
    await reconcileOnce(options(ws, desired, { apply: true }));
    const withoutB: DesiredFleet = {
      ...desired,
      hsms: desired.hsms.filter((h) => h.name !== 'hsm-b'),
      hapgs: desired.hapgs.map((g) => ({ ...g, members: g.members.filter((m) => m !== 'hsm-b') })),
    };
    const o = options(ws, withoutB, { apply: true });
    const result = await reconcileOnce(o);
    expect(result.outcome).toBe('refused');
    expect(result.plan.actions.some((a) => a.kind === 'hsm.delete' && a.destructive)).toBe(true);
    expect(o.events).toEqual([]);
    expect(o.inSync).toEqual([]);
    expect((await ws.emulator().describe()).hsms).toHaveLength(2);
  });

  it('asks approve before carrying out, and a no cancels with nothing done', async () => {
    const ws = workspace();
    const o = options(ws, await desiredOf(ws), { apply: true, approve: async (p) => p.actions.length === 0 });
    const result = await reconcileOnce(o);
    expect(result.outcome).toBe('cancelled');
    expect(o.events).toEqual([]);
    expect((await ws.emulator().describe()).hsms).toEqual([]);
  });

  it('lets planFor decide the plan (a saved plan) and its allowDestroy', async () => {
    const ws = workspace();
    const desired = await desiredOf(ws);
    const o = options(ws, desired, {
      apply: true,
      planFor: (observation) => {
        expect(observation.observed.hsms).toEqual([]);
        return { plan: { ...emptyPlan(), hasChanges: false }, allowDestroy: false };
      },
    });
    const result = await reconcileOnce(o);
    expect(result.outcome).toBe('in-sync');
    expect((await ws.emulator().describe()).hsms).toEqual([]);
  });
});

function emptyPlan(): Plan {
  return {
    formatVersion: 1,
    hasChanges: false,
    applyable: true,
    refusals: [],
    summary: { create: 0, update: 0, delete: 0, replace: 0, recover: 0 },
    actions: [],
    drift: [],
    warnings: [],
    heldBack: [],
    unreachable: [],
    deferred: [],
    unmanaged: [],
  };
}

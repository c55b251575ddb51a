import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DeviceError, UserError } from '../../../src/errors.js';
import { NAME_TAG } from '../../../src/fleet/tags.js';
import { applyPlan } from '../../../src/reconcile/apply/executor.js';
import type { ApplyEvent } from '../../../src/reconcile/apply/events.js';
import { hsm, fleet } from '../../fixtures/worlds/desired.js';
import { memoryWorld, mutations, planFor, quickstartDesired, watched } from './world.js';

function collect(): { events: ApplyEvent[]; emit: (e: ApplyEvent) => void } {
  const events: ApplyEvent[] = [];
  return { events, emit: (e) => events.push(e) };
}

describe('applyPlan', () => {
  it('runs the quickstart plan, emits each action once started and once done, and confirms convergence', async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    const plan = await planFor(emu, desired);
    const { events, emit } = collect();
    const result = await applyPlan(plan, { driver: emu, desired, emit });
    expect(result.outcome).toBe('complete');
    expect(result.counts).toEqual({ added: 17, changed: 0, destroyed: 0, replaced: 0, recovered: 0, unchanged: 0 });
    expect(result.verification?.converged).toBe(true);
    expect(events[0]).toMatchObject({ type: 'run.started', actions: 17, parallelism: 10 });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished' });
    for (const a of plan.actions) {
      const started = events.findIndex((e) => e.type === 'action.started' && e.action.id === a.id);
      const done = events.findIndex((e) => e.type === 'action.done' && e.action.id === a.id);
      expect(started).toBeGreaterThan(0);
      expect(done).toBeGreaterThan(started);
      // Dependencies finished before it started.
      for (const dep of a.dependsOn) expect(events.findIndex((e) => e.type === 'action.done' && e.action.id === dep)).toBeLessThan(started);
    }
  });

  it("counts recording an action's intent in the journal as part of the action's duration", async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    const plan = await planFor(emu, desired);
    const INTENT_MS = 30;
    // A journal whose writes are slow (a busy disk): the time goes by inside the call.
    const slowWrite = () => {
      const until = performance.now() + INTENT_MS;
      while (performance.now() < until);
    };
    const journal = { intent: slowWrite, done: () => undefined, failed: async () => undefined, end: async () => undefined };
    const result = await applyPlan(plan, { driver: emu, desired, journal, parallelism: 1 });
    expect(result.outcome).toBe('complete');
    for (const a of result.actions) expect(a.durationMs, a.id).toBeGreaterThanOrEqual(INTENT_MS - 1);
  });

  it('run again on the world it made, the same plan finds every effect in place and changes nothing', async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    const plan = await planFor(emu, desired);
    await applyPlan(plan, { driver: emu, desired });
    const { driver, calls } = watched(emu);
    const again = await applyPlan(plan, { driver, desired });
    expect(again.outcome).toBe('complete');
    expect(again.actions.map((a) => a.result)).toEqual(plan.actions.map(() => 'unchanged (already there)'));
    expect(mutations(calls)).toEqual([]);
  });

  it('the same holds for a teardown plan', async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    await applyPlan(await planFor(emu, desired), { driver: emu, desired });
    const nothing = fleet();
    const teardown = await planFor(emu, nothing, true);
    expect(teardown.summary.delete).toBeGreaterThan(5);
    expect((await applyPlan(teardown, { driver: emu, desired: nothing, allowDestroy: true })).outcome).toBe('complete');
    expect((await emu.describe()).hsms).toEqual([]);
    const { driver, calls } = watched(emu);
    const again = await applyPlan(teardown, { driver, desired: nothing, allowDestroy: true });
    expect(again.actions.every((a) => a.result === 'unchanged (already there)')).toBe(true);
    expect(mutations(calls)).toEqual([]);
  });

  it('on the first failure starts nothing new, lets running actions finish, reports done / failed / not started', async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    const plan = await planFor(emu, desired);
    const arnOfB = async () => (await emu.describe()).hsms.find((h) => h.tags[NAME_TAG] === 'hsm-b')?.arn;
    const { driver } = watched(emu, async (call, proceed) => {
      const input = call.args[0] as { hsmArn?: string };
      if (call.method === 'addServer' && input.hsmArn === (await arnOfB())) {
        await sleep(60); // still running when the member fails
      }
      if (call.method === 'addHsmToHapg' && input.hsmArn === (await arnOfB())) {
        throw new DeviceError('LUNA_RET_DEVICE_ERROR', 'LUNA_RET_DEVICE_ERROR (injected)');
      }
      return proceed();
    });
    const record = async (line: string) => void journal.lines.push(line);
    const journal = { lines: [] as string[], intent: (a: string) => record(`intent ${a}`), done: (a: string, r: string) => record(`done ${a} ${r}`), failed: (a: string) => record(`failed ${a}`), end: (o: string) => record(`end ${o}`) };
    const { events, emit } = collect();
    const result = await applyPlan(plan, { driver, desired, emit, journal });

    expect(result.outcome).toBe('failed');
    expect(result.verification).toBeUndefined();
    const status = Object.fromEntries(result.actions.map((a) => [a.id, a.status]));
    expect(status['hapg.addMember:hapg1.hsm-b']).toBe('failed');
    expect(status['client.addServer:app-1.hsm-b']).toBe('done');
    expect(status['hsm.create:hsm-a']).toBe('done');
    for (const id of ['partition.assign:hsm-b.hapg1.app-1', 'hapg.registerClient:hapg1.app-1', 'client.writeConfig:app-1', 'client.setAutoRecovery:app-1']) {
      expect(status[id]).toBe('not-started');
    }
    expect(result.actions.find((a) => a.status === 'failed')?.error).toEqual({ code: 'LUNA_RET_DEVICE_ERROR', message: 'LUNA_RET_DEVICE_ERROR (injected)' });
    const failedAt = events.findIndex((e) => e.type === 'action.failed');
    expect(events.slice(failedAt).some((e) => e.type === 'action.started')).toBe(false);
    expect(events.slice(failedAt).some((e) => e.type === 'action.done' && e.action.id === 'client.addServer:app-1.hsm-b')).toBe(true);
    expect(events.filter((e) => e.type === 'action.notStarted')).toHaveLength(result.actions.filter((a) => a.status === 'not-started').length);
    expect(journal.lines).toContain('failed hapg.addMember:hapg1.hsm-b');
    expect(journal.lines.at(-1)).toBe('end failed');
    expect(journal.lines.filter((l) => l.startsWith('intent '))).toHaveLength(result.actions.filter((a) => a.status !== 'not-started').length);
  });

  it('asked to stop (Ctrl-C), starts nothing new, lets running actions finish, and ends as stopped, not failed', async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    const plan = await planFor(emu, desired);
    const stopping = new AbortController();
    let abortedAt = -1;
    const { driver } = watched(emu, async (call, proceed) => {
      if (call.method === 'createHapg') {
        abortedAt = events.length;
        stopping.abort(); // Ctrl-C while the group is being created
        await sleep(20);
      }
      return proceed();
    });
    const record = async (line: string) => void journal.lines.push(line);
    const journal = { lines: [] as string[], intent: (a: string) => record(`intent ${a}`), done: (a: string, r: string) => record(`done ${a} ${r}`), failed: (a: string) => record(`failed ${a}`), end: (o: string) => record(`end ${o}`) };
    const { events, emit } = collect();
    const result = await applyPlan(plan, { driver, desired, emit, journal, stopping: stopping.signal });

    expect(result.outcome).toBe('stopped');
    expect(result.verification).toBeUndefined();
    const status = Object.fromEntries(result.actions.map((a) => [a.id, a.status]));
    expect(status['hapg.create:hapg1']).toBe('done');
    // Running actions finish, or stop at their next wait or device operation: none fails otherwise.
    for (const a of result.actions) if (a.status === 'failed') expect(a.error?.code).toBe('apply.stopped');
    expect(status['client.setAutoRecovery:app-1']).toBe('not-started');
    expect(abortedAt).toBeGreaterThan(0);
    expect(events.slice(abortedAt).some((e) => e.type === 'action.started')).toBe(false);
    expect(journal.lines.at(-1)).toBe('end stopped');
  });

  it.each([1, 3, 5])('never runs more than %i actions at a time', async (parallelism) => {
    const emu = memoryWorld();
    const desired = fleet({ hsms: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'].map((n) => hsm(n)) });
    const plan = await planFor(emu, desired);
    const { driver } = watched(emu, async (call, proceed) => {
      if (call.method === 'createHsm' || call.method === 'initializeHsm') await sleep(5);
      return proceed();
    });
    let running = 0;
    let most = 0;
    const emit = (e: ApplyEvent): void => {
      if (e.type === 'action.started') most = Math.max(most, ++running);
      if (e.type === 'action.done' || e.type === 'action.failed') running--;
    };
    expect((await applyPlan(plan, { driver, desired, parallelism, emit })).outcome).toBe('complete');
    expect(most).toBe(parallelism);
  });

  it('reports when a fresh plan still has work (the world changed during the run)', async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    const plan = await planFor(emu, desired);
    const { driver } = watched(emu, async (call, proceed) => {
      const value = await proceed();
      if (call.method === 'setHaSettings') {
        // Someone revokes an assignment by hand while the run finishes.
        const world = await emu.describe();
        const a = world.hsms.find((h) => h.tags[NAME_TAG] === 'hsm-a')!;
        await emu.revokePartition({ hsmArn: a.arn, clientName: 'app-1', partitionName: a.clients[0]!.partitions[0]! });
      }
      return value;
    });
    const result = await applyPlan(plan, { driver, desired });
    expect(result.outcome).toBe('not-converged');
    expect(result.verification?.remaining?.actions.map((a) => a.id)).toContain('partition.assign:hsm-a.hapg1.app-1');
  });

  it('refuses a plan that is not applyable before touching any device', async () => {
    const emu = memoryWorld();
    const desired = await quickstartDesired();
    await applyPlan(await planFor(emu, desired), { driver: emu, desired });
    const refused = await planFor(emu, fleet());
    expect(refused.applyable).toBe(false);
    const { driver, calls } = watched(emu);
    await expect(applyPlan(refused, { driver, desired: fleet() })).rejects.toThrow(UserError);
    expect(calls).toEqual([]);
  });

  it('asked to stop while it waits for provisioning, stops waiting at once (the next apply waits)', async () => {
    const emu = memoryWorld();
    await emu.setProvisioningTime(60_000); // the test would time out, had the wait to end by itself
    const desired = fleet({ hsms: [hsm('slow')] });
    const stopping = new AbortController();
    const emit = (e: ApplyEvent): void => {
      if (e.type === 'action.progress' || (e.type === 'action.started' && e.action.kind === 'hsm.create')) setImmediate(() => stopping.abort());
    };
    const result = await applyPlan(await planFor(emu, desired), { driver: emu, desired, emit, stopping: stopping.signal });
    expect(result.outcome).toBe('stopped');
    const create = result.actions.find((a) => a.kind === 'hsm.create')!;
    expect(create).toMatchObject({ status: 'failed', error: { code: 'apply.stopped' } });
    expect((await emu.describe()).hsms[0]).toMatchObject({ status: 'PENDING' });
  });

  it('waits for a PENDING HSM to be provisioned, saying so while it waits', async () => {
    const emu = memoryWorld();
    await emu.setProvisioningTime(150);
    const desired = fleet({ hsms: [hsm('slow')] });
    const { events, emit } = collect();
    const result = await applyPlan(await planFor(emu, desired), { driver: emu, desired, emit, wait: { reportEveryMs: 40 } });
    expect(result.outcome).toBe('complete');
    const create = result.actions.find((a) => a.kind === 'hsm.create')!;
    expect(create.durationMs).toBeGreaterThanOrEqual(140);
    expect(events.some((e) => e.type === 'action.progress' && /^Still waiting for provisioning\.\.\. \[\d+s elapsed\]$/.test(e.message))).toBe(true);
    expect((await emu.describe()).hsms[0]).toMatchObject({ status: 'RUNNING', zeroized: false });
  });

  it('gives up waiting for provisioning after the bound, with a message saying what to do', async () => {
    const emu = memoryWorld();
    await emu.setProvisioningTime(60_000);
    const desired = fleet({ hsms: [hsm('slow')] });
    const result = await applyPlan(await planFor(emu, desired), { driver: emu, desired, wait: { timeoutMs: 80 } });
    expect(result.outcome).toBe('failed');
    expect(result.actions[0]?.error?.message).toMatch(/hsm slow is still being provisioned \(PENDING\) after \d+s; run "hsmctl apply" again later/);
  });
});

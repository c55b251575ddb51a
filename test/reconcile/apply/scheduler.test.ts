import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDag, type DagTask } from '../../../src/reconcile/apply/scheduler.js';

/** A task whose completion the test controls. */
/** Three independent tasks, then `d` after `a`: with 2 slots, `a` and `b` start and `c`, `d` wait. */
function threeAndOneAfterA(): DagTask[] {
  return [
    { id: 'a', dependsOn: [] },
    { id: 'b', dependsOn: [] },
    { id: 'c', dependsOn: [] },
    { id: 'd', dependsOn: ['a'] },
  ];
}

function controlled(tasks: DagTask[]) {
  const log: string[] = [];
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  let onStart: () => void = () => {};
  const run = (t: DagTask) =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${t.id}`);
      pending.set(t.id, { resolve: () => { log.push(`end ${t.id}`); resolve(t.id); }, reject });
      onStart();
    });
  const started = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => { if (pending.size >= n) resolve(); };
      onStart = check;
      check();
    });
  return { log, pending, run, started, tasks };
}

describe('runDag', () => {
  it('starts a task as soon as its own dependencies are done, not in waves', async () => {
    const c = controlled([
      { id: 'slow', dependsOn: [] },
      { id: 'fast', dependsOn: [] },
      { id: 'after-fast', dependsOn: ['fast'] },
    ]);
    const result = runDag(c.tasks, 10, c.run);
    await c.started(2);
    c.pending.get('fast')!.resolve();
    await c.started(3);
    expect(c.log).toEqual(['start fast', 'start slow', 'end fast', 'start after-fast']);
    c.pending.get('slow')!.resolve();
    c.pending.get('after-fast')!.resolve();
    expect([...(await result).done.keys()].sort()).toEqual(['after-fast', 'fast', 'slow']);
  });

  const chainAndShorts = (): DagTask[] => [
    { id: 'short-1', dependsOn: [] },
    { id: 'short-2', dependsOn: [] },
    { id: 'short-3', dependsOn: [] },
    { id: 'chain-1', dependsOn: [] },
    { id: 'chain-2', dependsOn: ['chain-1'] },
    { id: 'chain-3', dependsOn: ['chain-2'] },
  ];

  /** Runs the tasks, ending each started one in `endOrder` as soon as it has started; returns the start order. */
  async function startOrder(tasks: DagTask[], parallelism: number, endOrder: string[]): Promise<string[]> {
    const c = controlled(tasks);
    const result = runDag(c.tasks, parallelism, c.run);
    for (const id of endOrder) {
      while (!c.pending.has(id)) await c.started(c.pending.size + 1);
      c.pending.get(id)!.resolve();
    }
    expect((await result).done.size).toBe(tasks.length);
    return c.log.filter((line) => line.startsWith('start')).map((line) => line.slice('start '.length));
  }

  it('when more tasks are ready than may run, starts the one heading the longest chain first, ties in the order given', async () => {
    const order = await startOrder(chainAndShorts(), 2, ['chain-1', 'short-1', 'chain-2', 'short-2', 'short-3', 'chain-3']);
    // chain-1 heads 3 tasks, then chain-2 heads 2; once chain-3 is ready it ties with short-3, given before it.
    expect(order).toEqual(['chain-1', 'short-1', 'chain-2', 'short-2', 'short-3', 'chain-3']);
  });

  it('one task at a time runs them in the order given', async () => {
    const order = await startOrder(chainAndShorts(), 1, ['short-1', 'short-2', 'short-3', 'chain-1', 'chain-2', 'chain-3']);
    expect(order).toEqual(['short-1', 'short-2', 'short-3', 'chain-1', 'chain-2', 'chain-3']);
  });

  it('never runs more than the parallelism at once', async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, dependsOn: [] }));
    await runDag(tasks, 3, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
    });
    expect(peak).toBe(3);
  });

  it('on the first failure starts nothing new, lets running tasks finish, reports the rest', async () => {
    const c = controlled(threeAndOneAfterA());
    const result = runDag(c.tasks, 2, c.run);
    await c.started(2);
    c.pending.get('a')!.reject(new Error('refused'));
    await new Promise((r) => setImmediate(r));
    c.pending.get('b')!.resolve();
    const outcome = await result;
    expect([...outcome.failed.keys()]).toEqual(['a']);
    expect([...outcome.done.keys()]).toEqual(['b']);
    expect(outcome.notStarted).toEqual(['c', 'd']);
  });

  it('once asked to stop, starts nothing new, lets running tasks finish, reports the rest', async () => {
    const c = controlled(threeAndOneAfterA());
    const stop = new AbortController();
    const result = runDag(c.tasks, 2, c.run, stop.signal);
    await c.started(2);
    stop.abort();
    c.pending.get('a')!.resolve(); // 'd' is ready now, and a slot is free
    await new Promise((r) => setImmediate(r));
    c.pending.get('b')!.resolve();
    const outcome = await result;
    expect(c.log).toEqual(['start a', 'start b', 'end a', 'end b']);
    expect(outcome.failed.size).toBe(0);
    expect([...outcome.done.keys()]).toEqual(['a', 'b']);
    expect(outcome.notStarted).toEqual(['c', 'd']);
  });
});

describe('runDag (property)', () => {
  /** A random DAG given in a topological order: each task depends on some of the ones before it. */
  const dag = fc
    .array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: 1, maxLength: 40 })
    .map((picks): DagTask[] => picks.map((deps, i) => ({ id: `t${i}`, dependsOn: i === 0 ? [] : [...new Set(deps.map((d) => `t${d % i}`))] })));

  /** Each task's number of tasks on the longest chain it heads (computed here independently of the scheduler). */
  function chainLengths(tasks: DagTask[]): Map<string, number> {
    const length = new Map<string, number>();
    for (const task of [...tasks].reverse()) {
      const dependents = tasks.filter((t) => t.dependsOn.includes(task.id));
      length.set(task.id, 1 + Math.max(0, ...dependents.map((d) => length.get(d.id)!)));
    }
    return length;
  }

  it('for any DAG and parallelism: runs every task once, after its dependencies, never more than the parallelism at once, the longest chain first', async () => {
    await fc.assert(
      fc.asyncProperty(dag, fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(3), { minLength: 40, maxLength: 40 }), async (tasks, parallelism, yields) => {
        const finished = new Set<string>();
        const started: string[] = [];
        let running = 0;
        let peak = 0;
        const length = chainLengths(tasks);
        const index = (id: string) => Number(id.slice(1));
        // Tasks whose completion the scheduler has seen: its reaction to a task's promise comes
        // right after this one, registered first, and before any other task can start.
        const seen = new Set<string>();
        const body = async (task: DagTask): Promise<void> => {
          for (const d of task.dependsOn) expect(finished.has(d), `${task.id} started before ${d} was done`).toBe(true);
          // Every task ready and still waiting comes after this one in the scheduler's order.
          const waiting = tasks.filter((t) => t !== task && !started.includes(t.id) && t.dependsOn.every((d) => seen.has(d)));
          for (const w of waiting) {
            const [a, b] = parallelism === 1 ? [0, 0] : [length.get(task.id)!, length.get(w.id)!];
            expect(a > b || (a === b && index(task.id) < index(w.id)), `${task.id} started before ${w.id}`).toBe(true);
          }
          started.push(task.id);
          peak = Math.max(peak, ++running);
          for (let i = yields[Number(task.id.slice(1))]!; i > 0; i--) await new Promise((r) => setImmediate(r));
          running--;
          finished.add(task.id);
        };
        const outcome = await runDag(tasks, parallelism, (task) => {
          const done = body(task);
          done.then(() => seen.add(task.id), () => undefined);
          return done;
        });
        expect([...outcome.failed.values()]).toEqual([]);
        expect(outcome.done.size).toBe(tasks.length);
        expect(new Set(started).size).toBe(tasks.length);
        expect(peak).toBeLessThanOrEqual(parallelism);
        if (parallelism === 1) expect(started).toEqual(tasks.map((t) => t.id));
      }),
      { numRuns: 300 },
    );
  });
});

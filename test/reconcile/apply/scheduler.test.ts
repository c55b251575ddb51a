import { describe, expect, it } from 'vitest';
import { runDag, type DagTask } from '../../../src/reconcile/apply/scheduler.js';

/** A task whose completion the test controls. */
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
    const c = controlled([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: [] },
      { id: 'c', dependsOn: [] },
      { id: 'd', dependsOn: ['a'] },
    ]);
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
});

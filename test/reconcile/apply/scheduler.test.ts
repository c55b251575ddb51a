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
    expect(c.log).toEqual(['start slow', 'start fast', 'end fast', 'start after-fast']);
    c.pending.get('slow')!.resolve();
    c.pending.get('after-fast')!.resolve();
    expect([...(await result).done.keys()].sort()).toEqual(['after-fast', 'fast', 'slow']);
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

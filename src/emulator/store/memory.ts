import type { Snapshot, Store } from './types.js';

/**
 * A store that keeps its documents in memory: same contract as the file store, no durability.
 * For fast tests of the emulated world and the reconciler.
 */
export function memoryStore(): Store {
  let current: Snapshot = { meta: {}, collections: {} };
  let queue: Promise<unknown> = Promise.resolve();
  const clone = (s: Snapshot): Snapshot => structuredClone(s);
  return {
    dir: ':memory:',
    async read() {
      await queue;
      return clone(current);
    },
    mutate<T>(fn: (snapshot: Snapshot) => T | Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        const draft = clone(current);
        const result = await fn(draft);
        current = draft;
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

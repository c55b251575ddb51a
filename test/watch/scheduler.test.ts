import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassScheduler } from '../../src/watch/scheduler.js';
import { mergeTriggers, type Trigger } from '../../src/watch/triggers.js';

/**
 * The scheduler on a fake clock: debounce, coalescing, never two passes at once, at most one
 * pending. A pass "runs" until the test resolves it, so overlap would be visible.
 */

interface Recorded {
  triggers: Trigger[];
  at: number;
  finish: () => void;
}

function harness(options: { debounceMs?: number; maxWaitMs?: number } = {}) {
  const runs: Recorded[] = [];
  let active = 0;
  let maxActive = 0;
  const scheduler = new PassScheduler({
    debounceMs: options.debounceMs ?? 100,
    maxWaitMs: options.maxWaitMs ?? 1_000,
    onError: (err) => {
      throw err;
    },
    run: (triggers) =>
      new Promise<void>((resolve) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        runs.push({
          triggers,
          at: Date.now(),
          finish: () => {
            active -= 1;
            resolve();
          },
        });
      }),
  });
  return { scheduler, runs, maxActive: () => maxActive };
}

const save = (file: string): Trigger => ({ kind: 'config', files: [file] });

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PassScheduler', () => {
  it('runs one pass for a burst of ten saves, once they have been quiet for the debounce time', async () => {
    const { scheduler, runs } = harness();
    for (let i = 0; i < 10; i++) {
      scheduler.mark(save(`f${i % 3}.yaml`));
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(89);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.triggers).toEqual([{ kind: 'config', files: ['f0.yaml', 'f1.yaml', 'f2.yaml'] }]);
    expect(runs[0]!.at).toBe(190);
  });

  it('never overlaps passes: triggers during a pass make exactly one pending pass, run after it ends', async () => {
    const { scheduler, runs, maxActive } = harness();
    scheduler.mark({ kind: 'start' }, { immediate: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      scheduler.mark(save('a.yaml'));
      scheduler.mark({ kind: 'state' });
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    // The last trigger was long ago: the pending pass starts at once.
    expect(runs).toHaveLength(2);
    expect(runs[1]!.triggers).toEqual([{ kind: 'config', files: ['a.yaml'] }, { kind: 'state' }]);
    runs[1]!.finish();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toHaveLength(2);
    expect(maxActive()).toBe(1);
  });

  it('gives a stream of triggers that never goes quiet a pass every maxWait', async () => {
    const { scheduler, runs } = harness({ debounceMs: 100, maxWaitMs: 1_000 });
    for (let t = 0; t < 2_500; t += 50) {
      scheduler.mark(save('busy.yaml'));
      await vi.advanceTimersByTimeAsync(50);
      runs.at(-1)?.finish();
    }
    expect(runs.map((r) => r.at)).toEqual([1_000, 2_000]);
  });

  it('skips the quiet time for an immediate trigger', async () => {
    const { scheduler, runs } = harness();
    scheduler.mark({ kind: 'interval', ms: 30_000 }, { immediate: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.triggers)).toEqual([[{ kind: 'interval', ms: 30_000 }]]);
  });

  it('stop drops what is pending and resolves when the running pass ends', async () => {
    const { scheduler, runs } = harness();
    scheduler.mark({ kind: 'start' }, { immediate: true });
    await vi.advanceTimersByTimeAsync(0);
    scheduler.mark(save('late.yaml'));
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped).toBe(false);
    runs[0]!.finish();
    await stopping;
    scheduler.mark(save('after-stop.yaml'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
  });

  it('idle resolves once nothing runs or waits', async () => {
    const { scheduler, runs } = harness();
    scheduler.mark(save('x.yaml'));
    let idle = false;
    void scheduler.idle().then(() => (idle = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toHaveLength(1);
    expect(idle).toBe(false);
    runs[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBe(true);
  });
});

/** A scheduler whose passes end at once and whose preparation takes `prepareMs` and says which one it was. */
function preparing(prepareMs: number, options: { fail?: boolean } = {}) {
  const runs: { at: number; prepared: string | undefined }[] = [];
  const started: number[] = [];
  const scheduler = new PassScheduler<string>({
    debounceMs: 100,
    maxWaitMs: 1_000,
    onError: (err) => {
      throw err;
    },
    prepare: () => {
      started.push(Date.now());
      const n = started.length;
      return new Promise<string>((resolve, reject) =>
        setTimeout(() => (options.fail === true ? reject(new Error('no world')) : resolve(`prepared ${n}`)), prepareMs),
      );
    },
    run: async (_triggers, prepared) => void runs.push({ at: Date.now(), prepared }),
  });
  return { scheduler, runs, started };
}

describe('PassScheduler: work prepared during the quiet time', () => {
  it('starts preparing at the save and runs the pass with it when the quiet time ends', async () => {
    const { scheduler, runs, started } = preparing(80);
    scheduler.mark(save('a.yaml'));
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toEqual([{ at: 100, prepared: 'prepared 1' }]);
  });

  it('waits for preparation that outlasts the quiet time, and runs as soon as it is ready', async () => {
    const { scheduler, runs } = preparing(130);
    scheduler.mark(save('a.yaml'));
    await vi.advanceTimersByTimeAsync(129);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([{ at: 130, prepared: 'prepared 1' }]);
  });

  it('never uses preparation that began before the last save: it prepares again once the stale one ends', async () => {
    const { scheduler, runs, started } = preparing(50);
    scheduler.mark(save('a.yaml'));
    await vi.advanceTimersByTimeAsync(30);
    scheduler.mark(save('a.yaml'));
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual([0, 50]);
    expect(runs).toEqual([{ at: 130, prepared: 'prepared 2' }]);
  });

  it('prepares again after a stale preparation that outlasts the quiet time, and never starts two at once', async () => {
    const { scheduler, runs, started } = preparing(150);
    scheduler.mark(save('a.yaml'));
    await vi.advanceTimersByTimeAsync(60);
    scheduler.mark(save('a.yaml')); // the first preparation (0 → 150) is now stale
    await vi.advanceTimersByTimeAsync(239);
    expect(started).toEqual([0, 150]);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([{ at: 300, prepared: 'prepared 2' }]);
  });

  it('does not prepare ahead of an immediate pass', async () => {
    const { scheduler, runs, started } = preparing(10);
    scheduler.mark({ kind: 'start' }, { immediate: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([]);
    expect(runs).toEqual([{ at: 0, prepared: undefined }]);
  });

  it('runs the pass without preparation when preparing failed (the pass does the work and reports it)', async () => {
    const { scheduler, runs } = preparing(20, { fail: true });
    scheduler.mark(save('a.yaml'));
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toEqual([{ at: 100, prepared: undefined }]);
  });
});

describe('mergeTriggers', () => {
  it.each([
    { name: 'one save', input: [save('a.yaml')], merged: [save('a.yaml')] },
    { name: 'files of several saves, each once, in first-seen order', input: [save('b.yaml'), save('a.yaml'), save('b.yaml')], merged: [{ kind: 'config', files: ['b.yaml', 'a.yaml'] }] },
    {
      name: 'kinds in header order, each once',
      input: [{ kind: 'interval', ms: 1000 }, { kind: 'state' }, save('a.yaml'), { kind: 'state' }, { kind: 'start' }],
      merged: [{ kind: 'start' }, save('a.yaml'), { kind: 'state' }, { kind: 'interval', ms: 1000 }],
    },
    { name: 'the first follow-up reason', input: [{ kind: 'follow-up', reason: 'x' }, { kind: 'follow-up', reason: 'y' }], merged: [{ kind: 'follow-up', reason: 'x' }] },
  ] satisfies { name: string; input: Trigger[]; merged: Trigger[] }[])('$name', ({ input, merged }) => {
    expect(mergeTriggers(input)).toEqual(merged);
  });
});

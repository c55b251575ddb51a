import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/emulator/store/store.js';

/** Group commit: operations queued behind a running one share one lock, scan and commit. */
describe('store group commit', () => {
  const fresh = () => openStore(mkdtempSync(join(tmpdir(), 'hsmctl-batch-')));

  it('commits every queued mutation but rolls back alone the one that throws', async () => {
    const store = fresh();
    await store.mutate((s) => void (s.collections.docs = { base: { n: 0 } }));
    const first = store.mutate((s) => void (s.collections.docs!.a = { n: 1 }));
    const failing = store.mutate((s) => {
      s.collections.docs!.b = { n: 2 };
      delete s.collections.docs!.base;
      throw new Error('refused');
    });
    const third = store.mutate((s) => {
      s.collections.docs!.c = { n: 3 };
      return Object.keys(s.collections.docs!).sort();
    });
    await first;
    await expect(failing).rejects.toThrow('refused');
    expect(await third).toEqual(['a', 'base', 'c']);
    expect((await openStore(store.dir).read()).collections.docs).toEqual({ base: { n: 0 }, a: { n: 1 }, c: { n: 3 } });
  });

  it('answers concurrent reads from one scan with copies each caller owns', async () => {
    const store = fresh();
    await store.mutate((s) => void (s.collections.docs = { a: { n: 1 } }));
    const [one, two] = await Promise.all([store.read(), store.read()]);
    (one.collections.docs!.a as { n: number }).n = 99;
    expect(two.collections.docs!.a).toEqual({ n: 1 });
  });

  it('keeps call order among queued mutations', async () => {
    const store = fresh();
    await store.mutate((s) => void (s.meta.log = []));
    await Promise.all([1, 2, 3, 4].map((n) => store.mutate((s) => void (s.meta.log as number[]).push(n))));
    expect((await store.read()).meta.log).toEqual([1, 2, 3, 4]);
  });
});

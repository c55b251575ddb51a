import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/emulator/store/index.js';
import type { Json, Snapshot } from '../../../src/emulator/store/index.js';
import { readLater, tempDir } from './helpers.js';

/**
 * `peek`: the snapshot for a reader that only looks. Unchanged documents are the cache's own
 * parsed, frozen values, shared between peeks; a changed document is read afresh; `read` still
 * hands out documents the caller owns.
 */

const doc = (n: number): Json => ({ arn: `arn:aws:cloudhsm:us-east-1:123456789012:hsm-${n}`, partitions: [{ name: `p${n}` }] });

function seed(s: Snapshot): void {
  s.meta.formatVersion = 1;
  s.collections.hsms = { 'hsm-0': doc(0), 'hsm-1': doc(1) };
  s.collections.clients = { 'app-1': { name: 'app-1' } };
}

const hsmsOf = (s: Snapshot) => s.collections.hsms as Record<string, { arn: string; partitions: { name: string }[] }>;

describe('store peek', () => {
  readLater();

  it('reads what read reads', async () => {
    const store = openStore(tempDir().state);
    await store.mutate(seed);
    expect(await store.peek!()).toEqual(await store.read());
  });

  it('reads only the collections asked for, and meta', async () => {
    const store = openStore(tempDir().state);
    await store.mutate(seed);
    const peeked = await store.peek!(['hsms']);
    expect(Object.keys(peeked.collections)).toEqual(['hsms']);
    expect(peeked.meta).toEqual({ formatVersion: 1 });
    expect(Object.keys(hsmsOf(peeked))).toEqual(['hsm-0', 'hsm-1']);
  });

  it('shares unchanged documents between peeks, frozen, and re-reads a changed one', async () => {
    const store = openStore(tempDir().state);
    await store.mutate(seed);
    await store.peek!(); // the first read of a file in a process does not cache it
    const first = await store.peek!();
    const second = await store.peek!();
    expect(hsmsOf(second)['hsm-0']).toBe(hsmsOf(first)['hsm-0']);
    expect(Object.isFrozen(hsmsOf(first)['hsm-0']?.partitions[0])).toBe(true);
    expect(() => {
      hsmsOf(first)['hsm-0']!.partitions.push({ name: 'by mistake' });
    }).toThrow(TypeError);

    await openStore(store.dir).mutate((s) => {
      hsmsOf(s)['hsm-1']!.partitions = [{ name: 'changed' }];
    });
    const third = await store.peek!();
    expect(hsmsOf(third)['hsm-1']?.partitions).toEqual([{ name: 'changed' }]);
    expect(hsmsOf(third)['hsm-0']).toBe(hsmsOf(first)['hsm-0']);
  });

  it('gives each caller its own snapshot and collection maps, and read its own documents', async () => {
    const store = openStore(tempDir().state);
    await store.mutate(seed);
    await store.peek!();
    const [a, b] = [await store.peek!(), await store.peek!()];
    a.collections.extra = {};
    delete a.collections.clients;
    expect(Object.keys(b.collections).sort()).toEqual(['clients', 'hsms']);
    const read = await store.read();
    expect(Object.isFrozen(hsmsOf(read)['hsm-0'])).toBe(false);
    hsmsOf(read)['hsm-0']!.arn = 'changed in a copy';
    expect(hsmsOf(await store.peek!())['hsm-0']?.arn).toBe((doc(0) as { arn: string }).arn);
  });
});

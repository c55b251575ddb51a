import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError, UserError } from '../../../src/errors.js';
import { checkpointStores, openStore } from '../../../src/emulator/store/index.js';
import type { Json, Snapshot } from '../../../src/emulator/store/index.js';
import { changedFiles, fileStamps, tempDir } from './helpers.js';

const hsm = (n: number): Json => ({ arn: `arn:aws:cloudhsm:eu-west-1:123456789012:hsm-${n}`, status: 'RUNNING', tags: { n: String(n) } });

/** A world of `count` HSMs, 2 HAPGs and a meta field. */
function seed(count: number) {
  return (s: Snapshot): void => {
    s.meta.clockOffsetMs = 0;
    s.collections.hsms = Object.fromEntries(Array.from({ length: count }, (_, i) => [`hsm-${i}`, hsm(i)]));
    s.collections.hapgs = { 'hapg-a': { label: 'a', members: ['hsm-0'] }, 'hapg-b': { label: 'b', members: [] } };
  };
}

describe('openStore: layout and round trip', () => {
  it('reads a missing directory as an empty world without creating it', async () => {
    const { state } = tempDir();
    expect(await openStore(state).read()).toEqual({ meta: {}, collections: {} });
    expect(existsSync(state)).toBe(false);
  });

  it('reads an existing empty directory as an empty world', async () => {
    const { state } = tempDir();
    mkdirSync(state);
    writeFileSync(join(state, '.gitkeep'), '');
    expect(await openStore(state).read()).toEqual({ meta: {}, collections: {} });
  });

  it('round-trips documents and meta, one readable file per document', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    expect(await store.mutate((s) => (seed(3)(s), 'result'))).toBe('result');

    const world = await openStore(state).read();
    expect(world.meta).toEqual({ formatVersion: 1, clockOffsetMs: 0 });
    expect(Object.keys(world.collections).sort()).toEqual(['hapgs', 'hsms']);
    expect(world.collections.hsms?.['hsm-2']).toEqual(hsm(2));
    expect(readFileSync(join(state, 'hsms/hsm-1.json'), 'utf8')).toBe(`${JSON.stringify(hsm(1), null, 2)}\n`);
    expect(readFileSync(join(state, 'meta.json'), 'utf8')).toBe('{\n  "formatVersion": 1,\n  "clockOffsetMs": 0\n}\n');
  });

  it('creates the meta document on the first mutation even when nothing else changes', async () => {
    const { state } = tempDir();
    await openStore(state).mutate(() => undefined);
    expect(JSON.parse(readFileSync(join(state, 'meta.json'), 'utf8'))).toEqual({ formatVersion: 1 });
  });

  it('keeps formatVersion 1 in meta even if a mutation replaces meta', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate((s) => {
      s.meta = { latencyMs: 5, formatVersion: 7 };
    });
    expect((await store.read()).meta).toEqual({ formatVersion: 1, latencyMs: 5 });
  });

  it('writes files 0600 and directories 0700', async () => {
    const { state } = tempDir();
    await openStore(state).mutate(seed(2));
    for (const path of ['meta.json', 'hsms/hsm-0.json', 'hapgs/hapg-a.json']) {
      expect(statSync(join(state, path)).mode & 0o777, path).toBe(0o600);
    }
    for (const path of ['', 'hsms', 'hapgs']) {
      expect(statSync(join(state, path)).mode & 0o777, path || 'state').toBe(0o700);
    }
  });

  it('tightens an existing state directory (e.g. a checked-out ./state) to 0700 when it initialises it', async () => {
    const { state } = tempDir();
    mkdirSync(state, { mode: 0o755 });
    await openStore(state).mutate(() => undefined);
    expect(statSync(state).mode & 0o777).toBe(0o700);
  });
});

describe('openStore: what a mutation writes', () => {
  it('rewrites only the document that changed', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(seed(50));
    const before = fileStamps(state);
    await store.mutate((s) => {
      (s.collections.hsms?.['hsm-17'] as { status: string }).status = 'DEGRADED';
    });
    // One line in the log, one document file.
    expect(changedFiles(before, fileStamps(state))).toEqual(['hsms/hsm-17.json', 'txn.log']);
  });

  it('writes nothing when the mutation changes nothing', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(seed(5));
    const before = fileStamps(state);
    await store.mutate((s) => {
      s.collections.hsms = { ...s.collections.hsms }; // same content, new objects
    });
    expect(changedFiles(before, fileStamps(state))).toEqual([]);
  });

  it('deletes documents and removed collections', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(seed(3));
    await store.mutate((s) => {
      delete s.collections.hsms?.['hsm-1'];
      delete s.collections.hapgs;
    });
    expect(existsSync(join(state, 'hsms/hsm-1.json'))).toBe(false);
    expect(existsSync(join(state, 'hapgs'))).toBe(false);
    const world = await store.read();
    expect(Object.keys(world.collections)).toEqual(['hsms']);
    expect(Object.keys(world.collections.hsms ?? {}).sort()).toEqual(['hsm-0', 'hsm-2']);
  });

  it('keeps an empty collection', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate((s) => {
      s.collections.clients = {};
    });
    expect((await store.read()).collections).toEqual({ clients: {} });
  });

  it('writes nothing and rethrows when the mutation throws', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(seed(3));
    const before = fileStamps(state);
    const boom = new Error('boom');
    await expect(
      store.mutate((s) => {
        s.meta.clockOffsetMs = 99;
        delete s.collections.hsms;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(changedFiles(before, fileStamps(state))).toEqual([]);
    // The queue is not stuck behind the failure.
    await store.mutate((s) => {
      s.meta.after = true;
    });
    expect((await store.read()).meta.after).toBe(true);
  });

  it.each([
    { name: 'a document id with a slash', change: (s: Snapshot) => void (s.collections.hsms = { 'a/b': 1 }) },
    { name: 'a collection name with a dot', change: (s: Snapshot) => void (s.collections['..'] = { a: 1 }) },
    { name: 'an empty document id', change: (s: Snapshot) => void (s.collections.hsms = { '': 1 }) },
  ])('refuses $name as a bug and writes nothing', async ({ change }) => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(seed(1));
    const before = fileStamps(state);
    await expect(store.mutate(change)).rejects.toBeInstanceOf(InternalError);
    expect(changedFiles(before, fileStamps(state))).toEqual([]);
  });

  it('serialises concurrent mutations of two store objects in one process without losing one', async () => {
    const { state } = tempDir();
    const a = openStore(state);
    const b = openStore(join(state, '.')); // same directory, spelt differently
    const bump = (s: Snapshot): void => {
      s.meta.counter = ((s.meta.counter as number | undefined) ?? 0) + 1;
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).mutate(bump)));
    expect((await a.read()).meta.counter).toBe(40);
  });
});

describe('openStore: refusing what it cannot read', () => {
  it.each([
    { name: 'a newer formatVersion', meta: { formatVersion: 2 }, message: /formatVersion 2, written by a newer hsmctl/ },
    { name: 'no formatVersion', meta: { hello: 1 }, message: /no formatVersion/ },
    { name: 'a non-numeric formatVersion', meta: { formatVersion: 'one' }, message: /unknown formatVersion "one"/ },
  ])('rejects meta with $name, on read and on mutate, and leaves it alone', async ({ meta, message }) => {
    const { state } = tempDir();
    mkdirSync(state);
    const text = `${JSON.stringify(meta)}\n`;
    writeFileSync(join(state, 'meta.json'), text);
    const store = openStore(state);
    for (const attempt of [store.read(), store.mutate(() => undefined)]) {
      const err = await attempt.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).code).toBe('state.format');
      expect((err as UserError).message).toMatch(message);
    }
    expect(readFileSync(join(state, 'meta.json'), 'utf8')).toBe(text);
  });

  it('names the file of a document that is not valid JSON', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(seed(1));
    await checkpointStores(); // a hand edit while no process works on the directory
    writeFileSync(join(state, 'hsms/hsm-0.json'), '{"arn": ');
    const err = await store.read().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('state.corrupt');
    expect((err as UserError).message).toContain(join(state, 'hsms/hsm-0.json'));
  });

  it('ignores files and directories it does not own', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate(seed(1));
    writeFileSync(join(state, 'hsms/notes.txt'), 'hello');
    writeFileSync(join(state, 'apply.lock'), '{}');
    mkdirSync(join(state, '.journal'));
    const world = await store.read();
    expect(Object.keys(world.collections).sort()).toEqual(['hapgs', 'hsms']);
    expect(Object.keys(world.collections.hsms ?? {})).toEqual(['hsm-0']);
  });
});

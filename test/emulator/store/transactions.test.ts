import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { checkpointStores, openStore } from '../../../src/emulator/store/index.js';
import type { Snapshot } from '../../../src/emulator/store/index.js';
import { changedFiles, fileStamps, tempDir } from './helpers.js';

/**
 * Version 1 of the world: docs a, b, c and d all carry value 1. Its log is folded in, as when the
 * writing process has finished, so that the test can play another process that died.
 */
async function worldV1(state: string): Promise<void> {
  await openStore(state).mutate((s) => {
    s.meta.counter = 1;
    s.collections.docs = { a: { value: 1 }, b: { value: 1 }, c: { value: 1 }, d: { value: 1 } };
  });
  await checkpointStores();
}

/** The committed transaction to version 2: a, b, c and meta carry 2, d is deleted, e is created. */
const txnV2 = {
  formatVersion: 1,
  writes: {
    'meta.json': { formatVersion: 1, counter: 2 },
    'docs/a.json': { value: 2 },
    'docs/b.json': { value: 2 },
    'docs/c.json': { value: 2 },
    'docs/e.json': { value: 2 },
  },
  deletes: ['docs/d.json'],
  createCollections: [],
  removeCollections: [],
};

const v2: Snapshot = {
  meta: { formatVersion: 1, counter: 2 },
  collections: { docs: { a: { value: 2 }, b: { value: 2 }, c: { value: 2 }, e: { value: 2 } } },
};

describe('openStore: transactions (the log, and the txn.json of earlier versions)', () => {
  it('commits a change of several documents as one line of the log', async () => {
    const { state } = tempDir();
    await worldV1(state);
    await openStore(state).mutate((s) => {
      s.meta.counter = 2;
      for (const id of ['a', 'b', 'c', 'e']) (s.collections.docs ??= {})[id] = { value: 2 };
      delete s.collections.docs?.d;
    });
    const lines = readFileSync(join(state, 'txn.log'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([txnV2]);
    expect(existsSync(join(state, 'txn.json'))).toBe(false);
    expect(await openStore(state).read()).toEqual(v2);
  });

  it('rolls a committed transaction forward on the next read (crash after the commit point)', async () => {
    const { state } = tempDir();
    await worldV1(state);
    // The dying process had committed txn.json and applied only a.json.
    writeFileSync(join(state, 'txn.json'), JSON.stringify(txnV2));
    writeFileSync(join(state, 'docs/a.json'), '{\n  "value": 2\n}\n');
    expect(await openStore(state).read()).toEqual(v2);
    expect(existsSync(join(state, 'txn.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(state, 'docs/c.json'), 'utf8'))).toEqual({ value: 2 });
  });

  it('rolls forward before a mutation too, and the mutation sees the finished world', async () => {
    const { state } = tempDir();
    await worldV1(state);
    writeFileSync(join(state, 'txn.json'), JSON.stringify(txnV2));
    const seen = await openStore(state).mutate((s) => structuredClone(s));
    expect(seen).toEqual(v2);
  });

  it('ignores and removes an uncommitted transaction (a temp file that never became txn.json)', async () => {
    const { state } = tempDir();
    await worldV1(state);
    const before = await openStore(state).read();
    const temp = join(state, 'txn.json.4242-1.store-tmp');
    writeFileSync(temp, JSON.stringify(txnV2).slice(0, 40)); // torn mid-write
    writeFileSync(join(state, 'docs/b.json.4242-2.store-tmp'), '{"val');
    expect(await openStore(state).read()).toEqual(before);
    expect(readdirSync(state).filter((f) => f.endsWith('.store-tmp'))).toEqual([]);
    expect(readdirSync(join(state, 'docs')).filter((f) => f.endsWith('.store-tmp'))).toEqual([]);
  });

  it('refuses a transaction file that names paths outside the store', async () => {
    const { state } = tempDir();
    await worldV1(state);
    const before = fileStamps(state);
    writeFileSync(join(state, 'txn.json'), JSON.stringify({ ...txnV2, deletes: ['../../etc/passwd'] }));
    const err = await openStore(state).read().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('state.corrupt');
    expect(changedFiles(before, fileStamps(state))).toEqual(['txn.json']);
  });

  it('commits a single-document change as one log line, then one rename', async () => {
    const { state } = tempDir();
    await worldV1(state);
    const before = fileStamps(state);
    await openStore(state).mutate((s) => {
      (s.collections.docs ??= {}).b = { value: 5 };
    });
    expect(changedFiles(before, fileStamps(state))).toEqual(['docs/b.json', 'txn.log']);
  });
});

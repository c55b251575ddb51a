import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { checkpointStores, openStore } from '../../../src/emulator/store/index.js';
import { sessionOf } from '../../../src/emulator/store/sessions.js';
import { useCompiledStore } from './fixtures/compile.js';
import { tempDir, waitForLine } from './helpers.js';

const counterChild = fileURLToPath(new URL('./fixtures/counter-child.mjs', import.meta.url));
const storeUrl = useCompiledStore();

const line = (writes: object, deletes: string[] = []) =>
  `${JSON.stringify({ formatVersion: 1, writes, deletes, createCollections: [], removeCollections: [] })}\n`;

describe('openStore: the write-ahead log', () => {
  it('replays a log left by a process that died, in order, without the line it did not finish, and puts back a document it was replacing', async () => {
    const { state } = tempDir();
    await openStore(state).mutate((s) => {
      s.meta.counter = 1;
      s.collections.docs = { a: { value: 1 }, b: { value: 1 } };
    });
    await checkpointStores();
    // The dead process had committed two transactions and was writing a third.
    writeFileSync(join(state, 'txn.log'), line({ 'meta.json': { formatVersion: 1, counter: 2 }, 'docs/a.json': { value: 2 } }));
    appendFileSync(join(state, 'txn.log'), line({ 'meta.json': { formatVersion: 1, counter: 3 }, 'docs/c.json': { value: 3 } }, ['docs/b.json']));
    appendFileSync(join(state, 'txn.log'), line({ 'meta.json': { formatVersion: 1, counter: 4 } }).slice(0, 30));
    // It died replacing docs/a.json: the old file removed, the new one not yet renamed into place.
    rmSync(join(state, 'docs/a.json'));
    writeFileSync(join(state, 'docs/a.json.4242-9.store-tmp'), '{\n  "value": 2\n}\n');

    expect(await openStore(state).read()).toEqual({
      meta: { formatVersion: 1, counter: 3 },
      collections: { docs: { a: { value: 2 }, c: { value: 3 } } },
    });
    expect(existsSync(join(state, 'txn.log'))).toBe(false);
    expect(existsSync(join(state, 'docs/a.json.4242-9.store-tmp'))).toBe(false);
    expect(JSON.parse(readFileSync(join(state, 'docs/a.json'), 'utf8'))).toEqual({ value: 2 });
    expect(JSON.parse(readFileSync(join(state, 'docs/c.json'), 'utf8'))).toEqual({ value: 3 });
  });

  it('answers a mutation only once its documents are on disk', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store
          .mutate((s) => {
            s.meta.counter = ((s.meta.counter as number | undefined) ?? 0) + 1;
            (s.collections.docs ??= {})[`d${i}`] = { i };
          })
          .then(() => {
            expect(JSON.parse(readFileSync(join(state, `docs/d${i}.json`), 'utf8'))).toEqual({ i });
            expect(JSON.parse(readFileSync(join(state, 'meta.json'), 'utf8')).counter).toBeGreaterThanOrEqual(i + 1);
          }),
      ),
    );
    expect((await store.read()).meta.counter).toBe(30);
  });

  it('sees the changes of another process that replayed its log', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate((s) => void (s.meta.counter = 10)); // this process's log now vouches for its memory
    const child = spawn(process.execPath, [counterChild, storeUrl(), state, '1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await waitForLine(child, 'ready');
    const done = waitForLine(child, 'done');
    child.stdin.write('go\n');
    await done;
    if (child.exitCode === null) await once(child, 'exit');
    await store.mutate((s) => void (s.meta.counter = (s.meta.counter as number) + 1));
    expect((await openStore(state).read()).meta.counter).toBe(12);
  });

  it('stops trusting its memory as soon as its log is no longer as it left it', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate((s) => void (s.meta.counter = 10));
    // What another process does between two of ours: replay and remove the log, then change the world.
    rmSync(join(state, 'txn.log'));
    writeFileSync(join(state, 'meta.json'), `${JSON.stringify({ formatVersion: 1, counter: 20 }, null, 2)}\n`);
    await store.mutate((s) => void (s.meta.counter = (s.meta.counter as number) + 1));
    expect((await store.read()).meta.counter).toBe(21);
  });

  it('folds the log into the documents once idle, leaving the documents alone to hold the world', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate((s) => void (s.collections.docs = { a: { value: 1 } }));
    expect(existsSync(join(state, 'txn.log'))).toBe(true);
    await vi.waitFor(() => expect(existsSync(join(state, 'txn.log'))).toBe(false), { timeout: 5_000, interval: 10 });
    expect(await openStore(state).read()).toEqual({ meta: { formatVersion: 1 }, collections: { docs: { a: { value: 1 } } } });
  });

  it("does not wait for another process's lock to fold the log when idle or at exit, and folds it later", async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate((s) => void (s.collections.docs = { a: { value: 1 } }));
    const session = sessionOf(resolve(state));
    // Another live process on this host (init) holds the lock.
    writeFileSync(join(state, '.store.lock'), `${JSON.stringify({ pid: 1, host: hostname(), since: new Date().toISOString() })}\n`);
    // Returns at once instead of waiting 10 s for the lock (the test's 5 s limit catches a wait).
    await session.run(() => session.checkpoint(false));
    rmSync(join(state, '.store.lock'));
    await session.run(() => session.checkpoint(true));
    expect(existsSync(join(state, 'txn.log'))).toBe(false);
    expect(await openStore(state).read()).toEqual({ meta: { formatVersion: 1 }, collections: { docs: { a: { value: 1 } } } });
  }, 5_000);
});


import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openStore } from '../../../src/emulator/store/index.js';
import { tempDir } from './helpers.js';

/** Renames of a document named here are held until `release()`: a slow disk, on demand. */
const held = vi.hoisted(() => ({ name: '', waiting: [] as (() => void)[] }));
const release = () => held.waiting.splice(0).forEach((go) => go());

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const rename = async (from: string, to: string): Promise<void> => {
    if (held.name !== '' && to.endsWith(held.name)) {
      held.name = ''; // only the first one
      await new Promise<void>((go) => held.waiting.push(go));
    }
    return fs.rename(from, to);
  };
  return { ...fs, rename, default: { ...fs, rename } };
});

describe('openStore: writing documents', () => {
  it('writes a document in commit order even when an earlier write of it is slow', async () => {
    const { state } = tempDir();
    const store = openStore(state);
    await store.mutate((s) => void (s.collections.docs = { other: { n: 0 } }));
    held.name = 'docs/shared.json';
    const first = store.mutate((s) => void (s.collections.docs!.shared = { n: 1 }));
    await vi.waitFor(() => expect(held.waiting).toHaveLength(1)); // its rename is on the slow disk
    const second = store.mutate((s) => void (s.collections.docs!.shared = { n: 2 }));
    await vi.waitFor(() => expect(readFileSync(join(state, 'txn.log'), 'utf8')).toContain('{"n":2}')); // committed
    const unrelated = store.mutate((s) => void (s.collections.docs!.other = { n: 3 }));
    await unrelated; // another document is not held back
    expect(JSON.parse(readFileSync(join(state, 'docs/other.json'), 'utf8'))).toEqual({ n: 3 });
    release();
    await Promise.all([first, second]);
    expect(JSON.parse(readFileSync(join(state, 'docs/shared.json'), 'utf8'))).toEqual({ n: 2 });
  });
});

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearTextCache, readTextCached } from '../../../src/emulator/store/textcache.js';
import { tempDir } from './helpers.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return { ...fs, readFileSync: vi.fn(fs.readFileSync) };
});

/** How many times the file's content was actually read from disk. */
const reads = (file: string): number => vi.mocked(readFileSync).mock.calls.filter(([path]) => path === file).length;
/** A read that starts long after the file was written, so the file counts as settled. */
const later = (): number => Date.now() + 60_000;

describe('text cache', () => {
  beforeEach(() => {
    clearTextCache();
    vi.mocked(readFileSync).mockClear();
  });

  it('serves a settled, unchanged file from the cache from the third read on', () => {
    const file = join(tempDir().base, 'a.json');
    writeFileSync(file, '{"v":1}\n');
    expect([readTextCached(file, later()), readTextCached(file, later()), readTextCached(file, later())]).toEqual(Array(3).fill('{"v":1}\n'));
    expect(reads(file)).toBe(2); // first (no stat), second (stat, fills), third from the cache
  });

  it('never caches a file changed shortly before the read began (clock ticks are coarse)', () => {
    const file = join(tempDir().base, 'a.json');
    writeFileSync(file, '{"v":1}\n');
    for (let i = 0; i < 3; i += 1) readTextCached(file, Date.now());
    expect(reads(file)).toBe(3);
  });

  it.each([
    { name: 'replaced by rename with the same size (the store writer)', change: (file: string) => {
      writeFileSync(`${file}.tmp`, '{"v":2}\n');
      renameSync(`${file}.tmp`, file);
    } },
    { name: 'rewritten in place with another size', change: (file: string) => writeFileSync(file, '{"v":22}\n') },
  ])('re-reads a file $name', ({ change }) => {
    const file = join(tempDir().base, 'a.json');
    writeFileSync(file, '{"v":1}\n');
    readTextCached(file, later());
    readTextCached(file, later());
    change(file);
    expect(readTextCached(file, later())).toBe(readFileSync(file, 'utf8'));
    expect(reads(file)).toBe(4); // two to fill, one after the change, one by this assertion
  });
});

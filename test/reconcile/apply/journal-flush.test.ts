import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Journal, journalPath } from '../../../src/reconcile/apply/journal.js';

/** The journal file's size when each background fsync began. */
const synced = vi.hoisted(() => [] as number[]);

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    fsync: (fd: number, callback: (err: NodeJS.ErrnoException | null) => void) => {
      synced.push(fs.fstatSync(fd).size);
      fs.fsync(fd, callback);
    },
  };
});

describe('apply journal flushing', () => {
  it('runs one fsync at a time, the next covering every record made meanwhile; a failure waits for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-journal-'));
    const j = Journal.start(dir, 'r1', 3);
    const size = () => statSync(journalPath(dir)).size;
    j.intent('a');
    expect(synced).toEqual([size()]); // started at once, without the caller waiting for it
    j.intent('b');
    j.intent('c');
    expect(synced).toHaveLength(1); // b and c wait for the next one
    await j.failed('c', 'refused');
    expect(synced).toEqual([synced[0], size()]); // one more, covering b, c and the failure
    await j.end('failed');
    expect(synced.at(-1)).toBe(size());
  });
});

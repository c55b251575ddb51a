import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, vi } from 'vitest';
import { clearTextCache } from '../../../src/emulator/store/textcache.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * For the tests of the describe block it is called in: an empty text cache, and reads made a
 * minute after the files were written, so that the store caches (and shares) them at once (a file
 * counts as settled only 2 s after its last write). Fakes `Date` only.
 */
export function readLater(): void {
  beforeEach(() => {
    clearTextCache();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 60_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** A fresh temporary directory, removed after the test; `state` is a not-yet-existing child of it. */
export function tempDir(): { base: string; state: string } {
  const base = mkdtempSync(join(tmpdir(), 'hsmctl-store-test-'));
  made.push(base);
  return { base, state: join(base, 'state') };
}

/** Every file under `dir` by relative path, with a stamp that changes whenever the file is replaced or written. */
export function fileStamps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = statSync(path, { bigint: true });
    out.set(relative(dir, path), `${info.ino}:${info.mtimeNs}:${info.size}`);
  }
  return out;
}

/** The paths whose stamp differs between two `fileStamps` results (added, changed or removed). */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}

/** Resolves with the first stdout line equal to `line`; rejects if the child exits first. */
export function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const onExit = (code: number | null): void => reject(new Error(`child exited (${code}) before "${line}": ${stderr}`));
    child.once('exit', onExit);
    lines.on('line', (got) => {
      if (got !== line) return;
      child.off('exit', onExit);
      lines.close();
      resolve();
    });
  });
}

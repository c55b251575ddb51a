import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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

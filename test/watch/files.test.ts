import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/reconcile/apply/journal.js';
import { acquireLock } from '../../src/reconcile/apply/lock.js';
import { recordAppliedRevision } from '../../src/gitops/index.js';
import { openEmulator } from '../../src/emulator/index.js';
import { ignoredConfigPath, isWithin } from '../../src/watch/config-watcher.js';
import { classifyStatePath, stateSignature, type StatePathKind } from '../../src/watch/state-files.js';

/** Which files wake watch: configuration files (not editor droppings), world documents (not locks, journals, temp files). */

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hsmctl-watch-files-'));
  made.push(dir);
  return dir;
}

describe('state directory paths', () => {
  it.each([
    { path: '', kind: 'root' },
    { path: 'meta.json', kind: 'document' },
    { path: 'hsms', kind: 'collection' },
    { path: 'hsms/hsm-1a2b3c4d.json', kind: 'document' },
    { path: 'clients/app-1.json', kind: 'document' },
    { path: 'hsmctl.lock', kind: 'apply-lock' },
    { path: 'journal.jsonl', kind: 'other' },
    { path: 'applied-revision.json', kind: 'other' },
    { path: 'applied-revision.json.123-1.tmp', kind: 'other' },
    { path: 'txn.json', kind: 'other' },
    { path: 'txn.log', kind: 'other' },
    { path: '.store.lock', kind: 'other' },
    { path: '.store.lock.takeover', kind: 'other' },
    { path: 'hsms/hsm-1a2b3c4d.json.4242-7.store-tmp', kind: 'other' },
    { path: 'meta.json.4242-1.store-tmp', kind: 'other' },
    { path: 'hsms/deeper/x.json', kind: 'other' },
    { path: '.git', kind: 'other' },
  ] satisfies { path: string; kind: StatePathKind }[])('$path is $kind', ({ path, kind }) => {
    expect(classifyStatePath('/s', join('/s', path))).toBe(kind);
  });
});

describe('state signature', () => {
  it('changes when the world is written, not when it is read or when locks, journal and provenance are written', async () => {
    const state = tempDir();
    const emulator = openEmulator(state);
    expect(stateSignature(state)).toBe(stateSignature(join(state, 'missing')));
    await emulator.createHapg({ label: 'hapg1' });
    const written = stateSignature(state);
    expect(written).not.toBe(stateSignature(join(state, 'missing')));

    await emulator.describe();
    await openEmulator(state).listKeys('hapg1');
    const lock = await acquireLock(state, 'apply');
    Journal.start(state, 'run-1', 0).end('complete');
    lock.release();
    await recordAppliedRevision(state, { commit: null, dirty: false, configPath: '/x', appliedAt: new Date().toISOString() });
    writeFileSync(join(state, 'hsms.json.1-1.store-tmp'), 'partial');
    expect(stateSignature(state)).toBe(written);

    await emulator.advance(60_000);
    expect(stateSignature(state)).not.toBe(written);
  });

  it('changes when a document is replaced by one of the same size (a new inode)', async () => {
    const state = tempDir();
    const emulator = openEmulator(state);
    await emulator.createHapg({ label: 'aaaa' });
    const before = stateSignature(state);
    await emulator.store.mutate((s) => {
      for (const doc of Object.values(s.collections.hapgs ?? {})) (doc as { label: string }).label = 'bbbb';
    });
    expect(stateSignature(state)).not.toBe(before);
  });
});

describe('configuration paths', () => {
  const root = '/w/fleet';
  it.each([
    { path: '/w/fleet', ignored: false },
    { path: '/w/fleet/hsms.yaml', ignored: false },
    { path: '/w/fleet/teams/a/clients.yml', ignored: false },
    { path: '/w/fleet/secrets/so.txt', ignored: false },
    { path: '/w/fleet/.git/index', ignored: true },
    { path: '/w/fleet/.hsms.yaml.swp', ignored: true },
    { path: '/w/fleet/hsms.yaml~', ignored: true },
    { path: '/w/fleet/4913', ignored: true },
    { path: '/w/fleet/x.tmp', ignored: true },
    { path: '/w/fleet/node_modules/pkg/a.yaml', ignored: true },
    { path: '/w/fleet/state/meta.json', ignored: true },
    { path: '/w/fleet/state', ignored: true },
    { path: '/w/keys/so.txt', ignored: false },
  ])('$path ignored: $ignored', ({ path, ignored }) => {
    expect(ignoredConfigPath(root, ['/w/fleet/state'], path)).toBe(ignored);
  });

  it('isWithin tells below from beside', () => {
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b', '/a/b/c')).toBe(true);
    expect(isWithin('/a/b', '/a/bc')).toBe(false);
    expect(isWithin('/a/b', '/a')).toBe(false);
  });
});

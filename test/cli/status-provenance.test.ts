import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStatus } from '../../src/cli/status.js';
import { recordAppliedRevision } from '../../src/gitops/index.js';
import { captureIo } from '../helpers/io.js';
import { commitAll, gitInit } from '../gitops/git.js';
import { convergedState, desiredOf, exampleCopy, T0 } from '../status/converge.js';

/**
 * GitOps provenance in `hsmctl status`, step by step in a real git repository: a commit, its
 * apply recorded, an uncommitted edit, a new commit, an apply from a dirty tree, a commit that
 * changes the fleet.
 */

describe('status in a git work tree', () => {
  it('names the last applied revision and every reason the fleet is out of sync with HEAD', async () => {
    const repo = await exampleCopy('quickstart');
    gitInit(repo);
    const c1 = commitAll(repo, 'quickstart fleet');
    const state = await convergedState(await desiredOf(repo));
    const appliedAt = new Date(T0).toISOString();

    const status = async (...args: string[]) => {
      const io = captureIo({ cwd: repo });
      const code = await runStatus(['--state', state, ...args], io, { now: () => T0 });
      expect(io.err()).toBe('');
      return { code, head: io.out().split('\n').slice(0, 2), out: io.out() };
    };
    const short = (sha: string) => sha.slice(0, 7);

    expect((await status()).head).toEqual(['Last applied: never (no apply recorded in this state)', `OutOfSync: HEAD is ${short(c1)}, no apply recorded`]);

    await recordAppliedRevision(state, { commit: c1, dirty: false, configPath: repo, appliedAt });
    const synced = await status();
    expect(synced.head).toEqual([`Last applied: ${short(c1)} at 2024-01-01T00:00:00Z`, `Synced: HEAD ${short(c1)} is applied and the fleet matches it`]);
    expect(synced.code).toBe(0);

    await appendFile(join(repo, 'fleet.yaml'), '# a note not yet committed\n');
    expect((await status()).head[1]).toBe('OutOfSync: the configuration has uncommitted changes');

    const c2 = commitAll(repo, 'a note');
    expect((await status()).head[1]).toBe(`OutOfSync: HEAD is ${short(c2)}, last applied ${short(c1)}`);

    await appendFile(join(repo, 'fleet.yaml'), '# another note\n');
    await recordAppliedRevision(state, { commit: c2, dirty: true, configPath: repo, appliedAt });
    const c3 = commitAll(repo, 'another note');
    expect((await status()).head).toEqual([
      `Last applied: ${short(c2)} (dirty) at 2024-01-01T00:00:00Z`,
      `OutOfSync: HEAD is ${short(c3)}, last applied ${short(c2)}; last apply had uncommitted changes`,
    ]);

    const yaml = await readFile(join(repo, 'fleet.yaml'), 'utf8');
    await writeFile(join(repo, 'fleet.yaml'), yaml.replace('interval: 60 ', 'interval: 120 '));
    const c4 = commitAll(repo, 'slower autoRecovery');
    await recordAppliedRevision(state, { commit: c4, dirty: false, configPath: repo, appliedAt });
    const changed = await status();
    expect(changed.head[1]).toMatch(/^OutOfSync: the plan has \d+ actions?$/);
    expect(changed.out).toMatch(/^hapg1 +\S+ +\S+ +Healthy +OutOfSync /m);
    expect(changed.code).toBe(0);

    const doc = JSON.parse((await status('--json')).out) as { sync: { head: { commit: string }; lastApplied: { commit: string }; status: string } };
    expect(doc.sync).toMatchObject({ status: 'OutOfSync', head: { commit: c4, dirty: false }, lastApplied: { commit: c4, dirty: false } });
  });
});

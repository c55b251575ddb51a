import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { readAppliedRevision } from '../../src/gitops/index.js';
import { captureIo } from '../helpers/io.js';
import { commitAll, gitInit, write } from './git.js';

/** `hsmctl apply` records the revision it applied; `status` compares it with HEAD. */

const quickstart = new URL('../../examples/quickstart', import.meta.url).pathname;

async function repoWithQuickstart() {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-provenance-'));
  await cp(quickstart, join(dir, 'fleet'), { recursive: true });
  gitInit(dir);
  const head = commitAll(dir, 'fleet');
  return { dir, head, state: join(dir, '.state'), cli: (...args: string[]) => { const io = captureIo({ cwd: dir }); return runCli(args, io).then((code) => ({ code, out: io.out(), err: io.err() })); } };
}

describe('apply provenance', () => {
  it('records the commit applied; status is Synced, then OutOfSync after a new commit', async () => {
    const repo = await repoWithQuickstart();
    expect((await repo.cli('apply', 'fleet', '--auto-approve', '--state', repo.state)).code).toBe(0);
    expect(await readAppliedRevision(repo.state)).toMatchObject({ commit: repo.head, dirty: false, configPath: join(repo.dir, 'fleet') });
    const synced = await repo.cli('status', 'fleet', '--state', repo.state);
    expect(synced.out).toContain(`Synced: HEAD ${repo.head.slice(0, 7)} is applied`);

    await write(repo.dir, 'fleet/notes.md', 'a change that is not applied yet\n');
    const next = commitAll(repo.dir, 'notes');
    const outOfSync = await repo.cli('status', 'fleet', '--state', repo.state);
    expect(outOfSync.out).toContain(`HEAD is ${next.slice(0, 7)}, last applied ${repo.head.slice(0, 7)}`);
  });

  it('status without PATH reports against the configuration last applied to the state', async () => {
    const repo = await repoWithQuickstart();
    expect((await repo.cli('apply', 'fleet', '--auto-approve', '--state', repo.state)).code).toBe(0);
    const status = await repo.cli('status', '--state', repo.state);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`Synced: HEAD ${repo.head.slice(0, 7)} is applied`);
    expect(status.out).toMatch(/hapg1 .* Healthy +Synced/);
  });

  it('records nothing when the apply fails', async () => {
    const repo = await repoWithQuickstart();
    await write(repo.dir, 'fleet/secrets/so-password.txt', '');
    const result = await repo.cli('apply', 'fleet', '--auto-approve', '--state', repo.state);
    expect(result.code).toBe(1);
    expect(await readAppliedRevision(repo.state)).toBeUndefined();
  });
});

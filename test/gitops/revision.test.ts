import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentRevision, shortSha } from '../../src/gitops/index.js';
import { tempDir } from '../status/temp.js';
import { commitAll, gitInit, write } from './git.js';

/** `currentRevision`: HEAD and dirtiness of a configuration path; undefined without git. */

async function repo(): Promise<string> {
  const dir = await tempDir('git');
  gitInit(dir);
  await mkdir(join(dir, 'fleet'));
  await write(dir, 'fleet/hsms.yaml', 'hsms: []\n');
  await write(dir, 'README.md', 'notes\n');
  return dir;
}

describe('currentRevision', () => {
  it('is HEAD and clean right after a commit, for a directory and for a file', async () => {
    const dir = await repo();
    const head = commitAll(dir, 'fleet');
    expect(await currentRevision(join(dir, 'fleet'))).toEqual({ commit: head, dirty: false });
    expect(await currentRevision(join(dir, 'fleet/hsms.yaml'))).toEqual({ commit: head, dirty: false });
    expect(shortSha(head)).toBe(head.slice(0, 7));
  });

  it.each([
    { name: 'a modified file', change: (d: string) => write(d, 'fleet/hsms.yaml', 'hsms: [] # edited\n') },
    { name: 'an untracked file', change: (d: string) => write(d, 'fleet/new.yaml', 'clients: []\n') },
  ])('is dirty with $name under the path', async ({ change }) => {
    const dir = await repo();
    const head = commitAll(dir, 'fleet');
    await change(dir);
    expect(await currentRevision(join(dir, 'fleet'))).toEqual({ commit: head, dirty: true });
  });

  it('ignores changes outside the path', async () => {
    const dir = await repo();
    commitAll(dir, 'fleet');
    await write(dir, 'README.md', 'more notes\n');
    expect((await currentRevision(join(dir, 'fleet')))?.dirty).toBe(false);
    expect((await currentRevision(join(dir, 'fleet/hsms.yaml')))?.dirty).toBe(false);
  });

  it.each([
    { name: 'not in a work tree', setup: async () => tempDir('nogit') },
    { name: 'a repository without commits', setup: async () => repo() },
    { name: 'a path that does not exist', setup: async () => join(await tempDir('nogit'), 'missing') },
  ])('is undefined for $name', async ({ setup }) => {
    expect(await currentRevision(await setup())).toBeUndefined();
  });

  describe('without git on the PATH', () => {
    const path = process.env.PATH;
    afterEach(() => {
      process.env.PATH = path;
    });
    it('is undefined, not an error', async () => {
      const dir = await repo();
      commitAll(dir, 'fleet');
      process.env.PATH = await tempDir('empty-path');
      expect(await currentRevision(dir)).toBeUndefined();
    });
  });
});

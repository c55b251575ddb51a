import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLIED_REVISION_FILE, readAppliedRevision, recordAppliedRevision } from '../../src/gitops/index.js';
import type { AppliedRevision } from '../../src/gitops/index.js';
import { UserError } from '../../src/errors.js';
import { tempDir } from '../status/temp.js';

/** The record of the last apply in the state directory. */

const record: AppliedRevision = {
  commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
  dirty: false,
  configPath: '/srv/fleet',
  appliedAt: '2024-01-01T00:05:00.000Z',
};

describe('recordAppliedRevision / readAppliedRevision', () => {
  it('round-trips, mode 0600, no temporary file left', async () => {
    const state = await tempDir('state');
    await recordAppliedRevision(state, record);
    expect(await readAppliedRevision(state)).toEqual(record);
    expect((await stat(join(state, APPLIED_REVISION_FILE))).mode & 0o777).toBe(0o600);
    expect(await readdir(state)).toEqual([APPLIED_REVISION_FILE]);
    expect(JSON.parse(await readFile(join(state, APPLIED_REVISION_FILE), 'utf8'))).toMatchObject({ formatVersion: 1 });
  });

  it('replaces the previous record and creates a missing state directory', async () => {
    const state = join(await tempDir('state'), 'new', 'state');
    await recordAppliedRevision(state, record);
    const next = { ...record, commit: null, dirty: true, appliedAt: '2024-01-02T00:00:00.000Z' };
    await recordAppliedRevision(state, next);
    expect(await readAppliedRevision(state)).toEqual(next);
  });

  it('reads undefined when no apply was recorded', async () => {
    expect(await readAppliedRevision(await tempDir('state'))).toBeUndefined();
  });

  it.each(['not json', '{"commit": 7}', '{"commit":"zz","dirty":false,"configPath":"/x","appliedAt":"2024-01-01T00:00:00Z"}'])(
    'refuses a damaged record %j, naming the file',
    async (text) => {
      const state = await tempDir('state');
      await writeFile(join(state, APPLIED_REVISION_FILE), text);
      const error = await readAppliedRevision(state).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toContain(APPLIED_REVISION_FILE);
    },
  );
});

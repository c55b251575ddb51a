import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFleetYaml } from '../../bench/fixtures.js';
import { loadConfig } from '../../src/config/index.js';

describe('the benchmark fleet generator', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it.each([
    { hsms: 40, hapgs: 5, clients: 60 },
    { hsms: 3, hapgs: 1, clients: 1, filesPerList: 1 },
  ])('writes a clean configuration of the size asked for: %o', async (size) => {
    const dir = await mkdtemp(join(tmpdir(), 'hsmctl-gen-'));
    dirs.push(dir);
    const generated = await generateFleetYaml(dir, size);
    const { fleet, diagnostics } = await loadConfig('.', { env: generated.env, cwd: dir });
    expect(diagnostics).toEqual([]);
    expect(fleet!.hsms).toHaveLength(size.hsms);
    expect(fleet!.hapgs).toHaveLength(size.hapgs);
    expect(fleet!.clients).toHaveLength(size.clients);
    expect(fleet!.files).toEqual(generated.files);
    expect(fleet!.clients.filter((c) => c.autoRecovery.retry === 10).length).toBe(Math.ceil(size.clients / 10));
  });
});

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/index.js';
import { captureIo } from '../helpers/io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(root, 'examples');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

describe('examples/', () => {
  it.each(['quickstart', 'multi-file'])('%s validates with exit 0 and no diagnostics', async (name) => {
    const io = captureIo({ cwd: root, env: {} });
    expect(await runCli(['validate', `examples/${name}`], io)).toBe(0);
    expect(io.out()).toMatch(/^Configuration is valid: \d+ HSMs, \d+ HAPGs?, \d+ clients?\.\n$/);
    expect(io.err()).toBe('');
  });

  it('quickstart is the seed walkthrough', async () => {
    const { fleet } = await loadConfig('examples/quickstart', { cwd: root, env: {} });
    expect(fleet!.hsms.map((h) => [h.name, h.availabilityZone])).toEqual([['hsm-a', 'us-east-1a'], ['hsm-b', 'us-east-1b']]);
    expect(fleet!.hapgs.map((h) => [h.label, h.members])).toEqual([['hapg1', ['hsm-a', 'hsm-b']]]);
    expect(fleet!.clients.map((c) => [c.name, c.hapgs])).toEqual([['app-1', ['hapg1']]]);
    expect(fleet!.autoRecovery).toEqual({ enabled: true, retry: -1, interval: 60 });
    for (const h of fleet!.hsms) {
      expect(h.cloningDomain.reveal()).toMatch(/^demo-only-/);
      expect(h.soPassword.ref).toHaveProperty('file');
    }
  });

  it('multi-file is a larger fleet over several files with overrides', async () => {
    const { fleet } = await loadConfig('examples/multi-file', { cwd: root, env: {} });
    expect(fleet!.files.length).toBeGreaterThanOrEqual(4);
    expect(fleet!.hapgs).toHaveLength(3);
    expect(fleet!.hsms.length).toBeGreaterThanOrEqual(6);
    expect(fleet!.clients.length).toBeGreaterThanOrEqual(4);
    const policies = new Set(fleet!.clients.map((c) => JSON.stringify(c.autoRecovery)));
    expect(policies.size).toBeGreaterThan(1);
    expect(fleet!.clients.some((c) => JSON.stringify(c.autoRecovery) === JSON.stringify(fleet!.autoRecovery))).toBe(true);
  });

  it.each(yamlFiles(examples).map((f) => relative(root, f)))('%s names the fleet schema for editors', (file) => {
    const first = readFileSync(join(root, file), 'utf8').split('\n')[0]!;
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match).not.toBeNull();
    expect(resolve(dirname(join(root, file)), match![1]!)).toBe(join(root, 'schemas', 'fleet.schema.json'));
  });
});

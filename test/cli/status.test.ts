import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { runStatus } from '../../src/cli/status.js';
import { captureIo } from '../helpers/io.js';
import { convergedState, desiredOf, exampleCopy, T0 } from '../status/converge.js';
import { tempDir } from '../status/temp.js';

/** `hsmctl status` as a command: help, usage errors, no configuration, no world. */

describe('hsmctl status', () => {
  it('--help documents the exit status', async () => {
    const io = captureIo();
    expect(await runCli(['status', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: hsmctl status [PATH] [--json] [--state DIR]');
    expect(io.out()).toContain('Exit status: 0 when the fleet is healthy');
  });

  it.each([
    { args: ['a', 'b'], message: 'status takes one PATH at most' },
    { args: ['--colour'], message: "Unknown option '--colour'" },
  ])('refuses $args with exit 1', async ({ args, message }) => {
    const io = captureIo({ cwd: await tempDir('cwd') });
    expect(await runCli(['status', ...args], io)).toBe(1);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('without a world: says so on stderr, creates nothing, and reports what is missing (exit 1)', async () => {
    const config = await exampleCopy('quickstart');
    const io = captureIo({ cwd: config });
    expect(await runCli(['status', '--state', 'nowhere'], io)).toBe(1);
    expect(io.err()).toBe('Note: no emulated world in nowhere yet; nothing has been created.\n');
    expect(io.out()).toContain('Health: Degraded\n  - hapg hapg1 is Missing\n');
    expect(io.out()).toContain('OutOfSync: the plan has 17 actions\n');
    await expect(access(join(config, 'nowhere'))).rejects.toThrow();
  });

  it('with an invalid configuration: health only, sync Unknown with the first error', async () => {
    const config = await exampleCopy('quickstart');
    const state = await convergedState(await desiredOf(config));
    await writeFile(join(config, 'fleet.yaml'), 'hsms:\n  - name: Bad_Name\n');
    const io = captureIo({ cwd: config });
    const code = await runStatus(['--state', state], io, { now: () => T0 });
    const lines = io.out().split('\n');
    expect(lines[1]).toMatch(/^Unknown: no valid configuration: fleet\.yaml:2:\d+ error .*\(and \d+ more; run "hsmctl validate \."\)$/);
    expect(lines[2]).toBe('Health: Healthy');
    expect(io.out()).toMatch(/^hapg1 +hapg-[0-9a-f]{8} +\d+ +Healthy +Unknown /m);
    expect(code).toBe(0);
  });

  it('--json without a configuration carries formatVersion and sync Unknown', async () => {
    const io = captureIo({ cwd: await tempDir('empty') });
    expect(await runCli(['status', '--json', '--state', 'none'], io)).toBe(0);
    const doc = JSON.parse(io.out()) as { formatVersion: number; sync: { status: string; reasons: string[] }; hapgs: unknown[] };
    expect(doc.formatVersion).toBe(1);
    expect(doc.sync.status).toBe('Unknown');
    expect(doc.sync.reasons[0]).toBe('no valid configuration at .: no configuration files (*.yaml, *.yml) in this directory');
    expect(doc.hapgs).toEqual([]);
  });

  it('colours only on a terminal without NO_COLOR', async () => {
    const config = await exampleCopy('quickstart');
    const state = await convergedState(await desiredOf(config));
    const run = async (env: Record<string, string>) => {
      const io = captureIo({ cwd: config, env });
      io.stdout.isTTY = true;
      await runStatus(['--state', state], io, { now: () => T0 });
      return io.out();
    };
    expect(await run({})).toContain('\u001b[32mHealthy\u001b[39m');
    expect(await run({ NO_COLOR: '1' })).not.toContain('\u001b[');
  });
});

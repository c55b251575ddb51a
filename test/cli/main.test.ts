import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../helpers/io.js';

const exec = promisify(execFile);
const bin = new URL('../../bin/hsmctl.js', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('hsmctl entry point', () => {
  it('prints the package version from the built binary', async () => {
    const { stdout } = await exec(process.execPath, [bin, '--version']);
    expect(stdout).toBe(`hsmctl ${pkg.version}\n`);
  });

  it('rejects an unknown command with usage and exit 1', async () => {
    const io = captureIo();
    expect(await runCli(['frobnicate'], io)).toBe(1);
    expect(io.err()).toContain('unknown command "frobnicate"');
    expect(io.err()).toContain('Usage: hsmctl');
  });

  it('names the command an option is unknown to, and where its options are listed', async () => {
    const io = captureIo();
    expect(await runCli(['plan', 'examples/quickstart', '--parallelism', '3'], io)).toBe(1);
    expect(io.err()).toBe('Error: Unknown option \'--parallelism\' for "hsmctl plan"\nRun "hsmctl plan --help" for usage.\n');
    expect(io.out()).toBe('');
  });

  it.each([
    ['--state', 'DIR'],
    ['--state=DIR'],
  ])('takes the global option %s before the command as the command\'s own', async (...option) => {
    const dir = mkdtempSync(join(tmpdir(), 'hsmctl-main-'));
    try {
      const io = captureIo({ cwd: dir });
      const global = option.map((o) => o.replace('DIR', 'world'));
      expect(await runCli([...global, 'emu', 'latency', '5ms'], io)).toBe(0);
      expect(existsSync(join(dir, 'world'))).toBe(true);
      expect(existsSync(join(dir, 'state'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes on the parser\'s other complaints as they are', async () => {
    const io = captureIo();
    expect(await runCli(['plan', '--out'], io)).toBe(1);
    expect(io.err()).toBe('Error: Option \'--out <value>\' argument missing\nRun "hsmctl plan --help" for usage.\n');
  });
});

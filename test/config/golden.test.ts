import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../helpers/io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const env = {
  GOLDEN_SO_PASSWORD: 'zq-golden-so-password',
  GOLDEN_PARTITION_PASSWORD: 'zq-golden-partition-password',
  GOLDEN_DOMAIN: 'zq-golden-domain',
};

describe('hsmctl validate output (golden files)', () => {
  it('lists every error and warning of an invalid configuration, then the summary', async () => {
    const io = captureIo({ cwd: root, env });
    expect(await runCli(['validate', 'test/fixtures/config/golden-invalid'], io)).toBe(1);
    await expect(io.out()).toMatchFileSnapshot('__golden__/validate-invalid.txt');
  });

  it('shows the warnings of a valid configuration and exits 0', async () => {
    const io = captureIo({ cwd: root, env });
    expect(await runCli(['validate', 'test/fixtures/config/golden-warnings'], io)).toBe(0);
    await expect(io.out()).toMatchFileSnapshot('__golden__/validate-warnings.txt');
  });

  it('gives the same diagnostics as one JSON document with --json', async () => {
    const io = captureIo({ cwd: root, env });
    expect(await runCli(['validate', 'test/fixtures/config/golden-invalid', '--json'], io)).toBe(1);
    await expect(io.out()).toMatchFileSnapshot('__golden__/validate-invalid.json');
  });
});

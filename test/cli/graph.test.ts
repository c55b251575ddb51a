import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/cli/graph.js';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../helpers/io.js';
import { convergedState, desiredOf, exampleCopy, T0 } from '../status/converge.js';

/** `hsmctl graph` as a command: help, usage errors, an invalid configuration, no world yet. */

describe('hsmctl graph', () => {
  it('--help names both formats and --plan', async () => {
    const io = captureIo();
    expect(await runCli(['graph', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: hsmctl graph [PATH] [--format dot|mermaid] [--plan] [--state DIR]');
  });

  it.each([
    { args: ['--format', 'svg'], message: 'unknown --format "svg" (one of: dot, mermaid)' },
    { args: ['a', 'b'], message: 'graph takes one PATH at most' },
  ])('refuses $args with exit 1', async ({ args, message }) => {
    const io = captureIo({ cwd: await exampleCopy('quickstart') });
    expect(await runCli(['graph', ...args], io)).toBe(1);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('refuses an invalid configuration with its errors on stderr', async () => {
    const config = await exampleCopy('quickstart');
    await writeFile(join(config, 'fleet.yaml'), 'hsms:\n  - name: Bad_Name\n');
    const io = captureIo({ cwd: config });
    expect(await runCli(['graph', '--state', 'state'], io)).toBe(1);
    expect(io.err()).toMatch(/^fleet\.yaml:2:\d+ error /);
    expect(io.err()).toContain('the graph is drawn from the configuration, and it is invalid');
    expect(io.out()).toBe('');
  });

  it('without a world draws everything declared grey, and creates nothing', async () => {
    const config = await exampleCopy('quickstart');
    const io = captureIo({ cwd: config });
    expect(await runCli(['graph', '--format', 'mermaid', '--state', 'none'], io)).toBe(0);
    expect(io.out()).toContain('  class n_hsm_hsm_a,n_hsm_hsm_b,n_hapg_hapg1,n_client_app_1 missing\n');
    expect(io.out()).toContain('  linkStyle 0,1,2,3,4 stroke:#999,stroke-dasharray:3 3\n');
    await expect(access(join(config, 'none'))).rejects.toThrow();
  });

  it('--plan of a converged fleet is an empty picture', async () => {
    const config = await exampleCopy('quickstart');
    const state = await convergedState(await desiredOf(config));
    const io = captureIo({ cwd: config });
    expect(await runGraph(['--plan', '--state', state], io, { now: () => T0 })).toBe(0);
    expect(io.out()).toBe(
      'digraph "plan" {\n  rankdir=TB;\n  node [fontname="Helvetica", fontsize=11];\n  edge [fontname="Helvetica", fontsize=9];\n}\n',
    );
  });
});

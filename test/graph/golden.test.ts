import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/cli/graph.js';
import { captureIo } from '../helpers/io.js';
import { convergedState, desiredOf, exampleCopy, T0, tempDir } from '../status/converge.js';

/**
 * `hsmctl graph` of the quickstart fleet in both formats: converged, with one member down, and
 * the plan's action DAG from an empty world.
 */

async function graph(args: string[], down?: string): Promise<{ code: number; out: string }> {
  const config = await exampleCopy('quickstart');
  const state = await convergedState(await desiredOf(config), down === undefined ? {} : { down });
  const io = captureIo({ cwd: config });
  const code = await runGraph(['--state', state, ...args], io, { now: () => T0 });
  expect(io.err()).toBe('');
  return { code, out: io.out() };
}

describe.each(['dot', 'mermaid'] as const)('graph --format %s', (format) => {
  const ext = format === 'dot' ? 'dot' : 'mmd';

  it.each([
    { name: 'healthy', down: undefined },
    { name: 'member-down', down: 'hsm-b' },
  ])('of the quickstart fleet, $name', async ({ name, down }) => {
    const { code, out } = await graph(['--format', format], down);
    expect(code).toBe(0);
    await expect(out).toMatchFileSnapshot(`__golden__/fleet-${name}.${ext}`);
  });

  it('--plan from an empty world', async () => {
    const config = await exampleCopy('quickstart');
    const io = captureIo({ cwd: config });
    const code = await runGraph(['--plan', '--format', format, '--state', join(await tempDir('empty'), 'state')], io, { now: () => T0 });
    expect(code).toBe(0);
    await expect(io.out()).toMatchFileSnapshot(`__golden__/plan-empty-world.${ext}`);
  });
});

it('the default format is dot', async () => {
  const { out } = await graph([]);
  expect(out.startsWith('digraph "fleet" {\n')).toBe(true);
});

import { describe, expect, it } from 'vitest';
import { runStatus } from '../../src/cli/status.js';
import { captureIo } from '../helpers/io.js';
import { convergedState, desiredOf, exampleCopy, T0 } from './converge.js';

/**
 * What an operator sees from `hsmctl status` for the quickstart fleet, converged and healthy, and
 * with one member cut off long enough for one automatic recovery attempt.
 */

const scenarios = [
  { name: 'healthy', down: undefined, exitCode: 0 },
  { name: 'member-down', down: 'hsm-b', exitCode: 1 },
] as const;

describe.each(scenarios)('status of the quickstart fleet, $name', ({ name, down, exitCode }) => {
  async function status(format: string[]) {
    const config = await exampleCopy('quickstart');
    const state = await convergedState(await desiredOf(config), down === undefined ? {} : { down });
    const io = captureIo({ cwd: config });
    const code = await runStatus(['--state', state, ...format], io, { now: () => T0 });
    return { code, out: io.out(), err: io.err() };
  }

  it(`text, exit ${exitCode}`, async () => {
    const { code, out, err } = await status([]);
    expect(err).toBe('');
    expect(code).toBe(exitCode);
    await expect(out).toMatchFileSnapshot(`__golden__/status-${name}.txt`);
  });

  it(`json, exit ${exitCode}`, async () => {
    const { code, out } = await status(['--json']);
    expect(code).toBe(exitCode);
    const doc = JSON.parse(out) as { formatVersion: number; health: { status: string } };
    expect(doc.formatVersion).toBe(1);
    expect(doc.health.status).toBe(exitCode === 0 ? 'Healthy' : 'Degraded');
    await expect(out).toMatchFileSnapshot(`__golden__/status-${name}.json`);
  });
});

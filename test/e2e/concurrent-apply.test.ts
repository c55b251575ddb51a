import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../helpers/io.js';
import { workspace } from '../reconcile/apply/fixtures.js';
import { start } from './spawn.js';

describe('two applies at once (spawned processes)', () => {
  it('exactly one proceeds; the other fails at once naming the holder', async () => {
    const ws = workspace();
    // Slow devices keep the first apply running (over a second) while the second starts, however late.
    expect(await runCli(['emu', 'latency', '150ms', '--state', ws.state], captureIo({ cwd: ws.dir }))).toBe(0);
    const args = ['apply', 'quickstart', '--auto-approve', '--state', ws.state];
    const runs = [start(args, ws.dir), start(args, ws.dir)];
    const exits = await Promise.all(runs.map((r) => r.exited));
    const winner = exits.findIndex((e) => e.code === 0);
    const loser = 1 - winner;
    expect(exits.map((e) => e.code).sort()).toEqual([0, 1]);
    expect(runs[winner]!.out()).toContain('Apply complete! Resources: 17 added, 0 changed, 0 destroyed.');
    expect(runs[loser]!.out()).toBe('');
    expect(runs[loser]!.err()).toMatch(new RegExp(`^Error: the state is locked by \\S+ \\(pid ${runs[winner]!.child.pid}, operation "apply", since [^)]+\\); try again later`));
    const world = await ws.emulator().describe();
    expect(world.hsms).toHaveLength(2);
  });
});

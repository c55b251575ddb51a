import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../helpers/io.js';
import { QUICKSTART } from '../reconcile/apply/fixtures.js';

/** `hsmctl watch` arguments: help, and the refusals that happen before anything is watched. */
describe('hsmctl watch arguments', () => {
  it('--help explains the triggers, that --apply never prompts, and how to stop', async () => {
    const io = captureIo();
    expect(await runCli(['watch', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: hsmctl watch \[PATH\] \[options\]/);
    expect(io.out()).toContain('running\nwatch --apply is your approval of every non-destructive plan, and it never asks');
    expect(io.out()).toContain('--interval DURATION     re-observe this long after the last pass (default 30s; 0 turns it off)');
    expect(io.out()).toContain('Stop with Ctrl-C (or SIGTERM)');
  });

  it.each([
    { name: 'two paths', args: ['a', 'b'], error: 'Error: watch takes one PATH at most; run "hsmctl watch --help" for usage' },
    { name: 'a missing path', args: ['nowhere'], error: 'Error: nowhere: no such file or directory' },
    { name: 'an interval without unit', args: [QUICKSTART, '--interval', '30'], error: 'Error: invalid duration "30": a unit is missing (examples: 500ms, 90s, 5m, 1h30m)' },
    { name: 'parallelism 0', args: [QUICKSTART, '--parallelism', '0'], error: 'Error: --parallelism must be a whole number of at least 1, not "0"' },
    { name: 'an unknown option', args: [QUICKSTART, '--json'], error: "Error: Unknown option '--json'" },
  ])('refuses $name with one message and exit 1', async ({ args, error }) => {
    const io = captureIo({ cwd: '/' });
    expect(await runCli(['watch', ...args, '--state', '/nonexistent/state'], io)).toBe(1);
    // The first line is the message (Node's own parser adds advice after an unknown option's name).
    expect(io.err().split('\n')[0]!.slice(0, error.length)).toBe(error);
    expect(io.out()).toBe('');
  });
});

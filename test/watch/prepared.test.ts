import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PassRunner } from '../../src/watch/runner.js';
import { captureIo } from '../helpers/io.js';
import { workspace, type Workspace } from '../reconcile/apply/fixtures.js';

/**
 * A pass given work prepared ahead of it (during the quiet time after a save) uses it only when
 * the configuration it read has not changed since: the watcher may merge or drop events of quick
 * saves. (Writes to the world are triggers, which the scheduler counts: test/watch/scheduler.test.ts.)
 */

function runner(ws: Workspace) {
  const io = captureIo({ cwd: ws.dir });
  const settings = { configPath: 'quickstart', stateDir: ws.state, apply: false, allowDestroy: false, parallelism: 10, lockTimeoutMs: 0 };
  return { io, runner: new PassRunner(settings, io, ws.emulator(), new AbortController().signal) };
}

const renameClient = (ws: Workspace, to: string) => {
  const file = join(ws.config, 'fleet.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/- name: app-[\w-]+/, `- name: ${to}`));
};

describe('a watch pass with work prepared ahead', () => {
  it('shows the prepared plan when the configuration and the world are as they were', async () => {
    const ws = workspace();
    renameClient(ws, 'app-ahead');
    const { io, runner: r } = runner(ws);
    const prepared = await r.prepare();
    expect(prepared.planned?.plan.actions.some((a) => a.id === 'client.create:app-ahead')).toBe(true);
    const report = await r.run([{ kind: 'config', files: ['quickstart/fleet.yaml'] }], prepared);
    expect(report.outcome).toEqual({ kind: 'pending', changes: prepared.planned!.plan.actions.length });
    expect(io.out()).toContain('# client.app-ahead will be created');
  });

  it('does the work again when a file changed after the preparation began, even at the same size and time stamp', async () => {
    const ws = workspace();
    renameClient(ws, 'app-one');
    const { io, runner: r } = runner(ws);
    const prepared = await r.prepare();
    renameClient(ws, 'app-two'); // same length, written at once: no event needed for this to count
    await r.run([{ kind: 'config', files: ['quickstart/fleet.yaml'] }], prepared);
    expect(io.out()).toContain('# client.app-two will be created');
    expect(io.out()).not.toContain('app-one');
  });
});

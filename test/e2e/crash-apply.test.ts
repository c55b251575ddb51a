import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { openEmulator } from '../../src/emulator/index.js';
import { readLastRun } from '../../src/reconcile/apply/journal.js';
import { readLock } from '../../src/reconcile/apply/lock.js';
import { workspace } from '../reconcile/apply/fixtures.js';
import { planFor } from '../reconcile/apply/world.js';
import { start } from './spawn.js';

/**
 * Crash safety (SPEC §4): `hsmctl apply` killed with SIGKILL at random instants, each followed by
 * applies (in-process) until one succeeds. Every time the store still loads, the re-apply converges (the next
 * plan is empty) and there is never a second HSM for one name (client tokens, tag lookups).
 */

const KILLS = 20;
const LATENCY_MS = 15;

describe('apply killed at random instants', () => {
  it(`converges after each of ${KILLS} SIGKILLs, without a duplicate HSM, and the store always loads`, { timeout: 120_000 }, async () => {
    const ws = workspace();
    const desired = (await loadConfig(ws.config, { env: {}, cwd: ws.dir })).fleet!;
    const args = ['apply', 'quickstart', '--auto-approve', '--state', ws.state];
    const started = Date.now();

    // Calibration: how long the actions of one apply take after the plan is printed.
    await openEmulator(ws.state).setLatency(LATENCY_MS);
    const calibration = start(args, ws.dir);
    await calibration.printed('Plan: 17 to add');
    const t0 = Date.now();
    expect((await calibration.exited).code).toBe(0);
    const actionsMs = Date.now() - t0;

    let kills = 0;
    let attempts = 0;
    let interruptedRuns = 0;
    const delays: number[] = [];
    while (kills < KILLS && attempts < KILLS * 2) {
      attempts++;
      const emu = openEmulator(ws.state);
      await emu.reset();
      await emu.setLatency(LATENCY_MS);

      const run = start(args, ws.dir);
      await run.printed('Plan: 17 to add');
      const delay = Math.floor(Math.random() * actionsMs);
      await sleep(delay);
      run.child.kill('SIGKILL');
      const exit = await run.exited;
      if (exit.signal !== 'SIGKILL') continue; // it finished first: not a crash
      kills++;
      delays.push(delay);

      // The store loads, whatever instant the writer died at.
      const afterKill = await openEmulator(ws.state).describe();
      expect(afterKill.hsms.length).toBeLessThanOrEqual(2);
      const interrupted = readLastRun(ws.state)?.finished === false;
      if (interrupted) interruptedRuns++;

      // Apply until it succeeds (once, unless something is wrong); in-process and without latency,
      // to keep the test short.
      await openEmulator(ws.state).setLatency(0);
      // A process killed while it held the lock (between taking it and releasing it at the very
      // end) left it behind: the next apply takes it over, with a warning.
      const leftBehind = readLock(ws.state) !== undefined;
      let again = await ws.cli(['apply', 'quickstart', '--auto-approve']);
      if (leftBehind) expect(again.err).toMatch(/^Warning: took over the lock of .*that process is no longer running/m);
      else expect(again.err).not.toContain('took over the lock');
      if (interrupted) expect(again.err).toContain('Warning: the previous apply (run ');
      for (let tries = 1; tries < 3 && again.code !== 0; tries++) again = await ws.cli(['apply', 'quickstart', '--auto-approve']);
      expect(again.code, again.out + again.err).toBe(0);
      const world = await openEmulator(ws.state).describe();
      expect(world.hsms.map((h) => h.tags['hsmctl:name']).sort(), 'one HSM per name').toEqual(['hsm-a', 'hsm-b']);
      expect(world.hapgs).toHaveLength(1);
      expect((await planFor(openEmulator(ws.state), desired)).actions).toEqual([]);
    }
    expect(kills).toBe(KILLS);
    expect(interruptedRuns).toBeGreaterThan(0);
    console.info(
      `crash test: ${kills} SIGKILLs in ${attempts} attempts, delays ${Math.min(...delays)}–${Math.max(...delays)} ms into a ${actionsMs} ms apply, ` +
        `${interruptedRuns} left an interrupted journal; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/emulator/store/index.js';
import { useCompiledStore } from './fixtures/compile.js';
import { tempDir, waitForLine } from './helpers.js';

const crashChild = fileURLToPath(new URL('./fixtures/crash-child.mjs', import.meta.url));
const KILLS = 50;
/** Kills go on past `KILLS` until each situation below was hit at least once, up to this many. */
const MAX_KILLS = 150;
const DOCS = 6;
const AHEAD = 1;
const storeUrl = useCompiledStore();

/** Every file of the world as it lies on disk after the kill, before anything repairs it. */
function filesOnDisk(state: string): { json: string[]; temps: string[] } {
  const all = readdirSync(state, { recursive: true, encoding: 'utf8' });
  return { json: all.filter((f) => f.endsWith('.json')), temps: all.filter((f) => f.endsWith('.store-tmp')) };
}

describe('crash safety', () => {
  it(`leaves the old or the new world after SIGKILL at ${KILLS} or more random instants`, async () => {
    const { state } = tempDir();
    const store = openStore(state, { lockTimeoutMs: 5_000 });
    let lastCounter = 0;
    const seen = { pendingLog: 0, strayTemps: 0, lockLeftBehind: 0 };

    // The next child starts while this one runs (it waits for "go"), hiding part of Node's start-up
    // time; starting more ahead only adds CPU contention on small machines.
    const start = () => spawn(process.execPath, [crashChild, storeUrl(), state, String(DOCS)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const queue = Array.from({ length: AHEAD }, start);
    // Where a kill lands is chance: past `KILLS`, go on until every situation was seen.
    const coveredAll = () => seen.pendingLog > 0 && seen.strayTemps > 0 && seen.lockLeftBehind > 0;
    for (let kill = 0; kill < KILLS || (!coveredAll() && kill < MAX_KILLS); kill += 1) {
      const child = queue.shift()!;
      const exited = once(child, 'exit');
      const ready = waitForLine(child, 'ready'); // at least one transaction of this child committed
      child.stdin.write('go\n');
      await ready;
      queue.push(start());
      await delay(Math.random() * 12); // the random instant: anywhere in the next few transactions
      child.kill('SIGKILL');
      await exited;

      // Nothing is torn on disk: every file the store owns parses (temp files are not the world).
      const { json, temps } = filesOnDisk(state);
      for (const file of json) expect(() => JSON.parse(readFileSync(join(state, file), 'utf8')), file).not.toThrow();
      if (existsSync(join(state, 'txn.log'))) seen.pendingLog += 1;
      if (temps.length > 0) seen.strayTemps += 1;
      if (existsSync(join(state, '.store.lock'))) seen.lockLeftBehind += 1;

      // The world is consistent: one counter value everywhere, old or new, never a mix.
      const world = await store.read();
      const counter = world.meta.counter as number;
      expect(counter).toBeGreaterThan(lastCounter);
      const docs = world.collections.docs ?? {};
      expect(Object.keys(docs).sort()).toEqual([...Array.from({ length: DOCS }, (_, i) => `doc-${i}`), `extra-${counter % 2}`].sort());
      for (const [id, doc] of Object.entries(docs)) expect((doc as { value: number }).value, id).toBe(counter);
      expect(filesOnDisk(state).temps).toEqual([]);
      expect(existsSync(join(state, 'txn.log'))).toBe(false); // replayed and removed by the read
      lastCounter = counter;
    }
    // The children started ahead and never told to go.
    for (const child of queue) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    // The kills really landed while the log held changes and inside file writes, not only between them.
    expect(seen.pendingLog).toBeGreaterThan(0);
    expect(seen.strayTemps).toBeGreaterThan(0);
    expect(seen.lockLeftBehind).toBeGreaterThan(0);
  }, 180_000); // ~12 s alone on 2 cores (~36 s at MAX_KILLS); room for a loaded CI machine running other suites at once
});

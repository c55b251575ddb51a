/**
 * Where the time of one `hsmctl watch` pass goes, in process, on the converged 1,000-resource
 * world (bench/converged-state.ts): the configuration load, the emulator's describe, the
 * cloning-domain checks, the plan and its rendering, each timed on its own over `RUNS` passes,
 * with each pass's save changing the global autoRecovery interval as bench/watch.ts does. The
 * watcher's event and the 100 ms debounce come on top (bench/watch.ts measures them end to end).
 * Run with `npx tsx bench/watch-pass.ts` (~20 s, most of it building the world).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { openEmulator } from '../src/emulator/index.js';
import { renderPlanText } from '../src/render/plan-text.js';
import { observe } from '../src/reconcile/observe.js';
import { plan } from '../src/reconcile/plan/index.js';
import { buildConvergedState } from './converged-state.js';
import { generateFleetYaml } from './fixtures.js';
import { formatRows, round, type Row } from './table.js';

const SIZE = { hsms: 250, hapgs: 30, clients: 720 };
const RUNS = 9;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Sets the global autoRecovery interval to 90, then 120 and 90 alternately: the world has 60, so every pass plans updates. */
export function toggleInterval(file: string): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.includes('interval: 90\n') ? text.replace('interval: 90\n', 'interval: 120\n') : text.replace(/interval: (60|120)\n/, 'interval: 90\n'));
}

/** Times each step of `RUNS` passes (after one warm-up pass, as a watch process has made). */
export async function benchWatchPass(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-pass-'));
  try {
    const generated = await generateFleetYaml(join(dir, 'fleet'), SIZE);
    const options = { env: generated.env, cwd: dir };
    const built = await buildConvergedState((await loadConfig(generated.dir, options)).fleet!, join(dir, 'state'));
    // The store caches only files written 2 s before a read (as a watch process meets a world written earlier).
    await delay(2_100);
    const driver = openEmulator(built.stateDir);
    const steps = { load: [] as number[], describe: [] as number[], verify: [] as number[], plan: [] as number[], render: [] as number[], total: [] as number[] };
    let actions = 0;
    for (let run = 0; run <= RUNS; run++) {
      toggleInterval(join(generated.dir, 'global.yaml'));
      const t0 = performance.now();
      const desired = (await loadConfig(generated.dir, options)).fleet!;
      const t1 = performance.now();
      const observed = await driver.describe();
      const t2 = performance.now();
      // observe() again, as a pass does: its describe is timed above, the rest is the checks.
      const observation = await observe(driver, desired);
      const t3 = performance.now();
      const p = plan(desired, observation.observed, { allowDestroy: false, cloningDomainMismatch: observation.cloningDomainMismatch });
      const t4 = performance.now();
      const text = renderPlanText(p, { colour: false });
      const t5 = performance.now();
      if (run === 0 || observed.hsms.length !== SIZE.hsms) continue;
      actions = p.actions.length;
      steps.load.push(t1 - t0);
      steps.describe.push(t2 - t1);
      steps.verify.push(t3 - t2 - (t2 - t1));
      steps.plan.push(t4 - t3);
      steps.render.push(t5 - t4);
      steps.total.push(t5 - t0 - (t2 - t1));
      if (text.length === 0) throw new Error('empty plan text');
    }
    const label = 'watch pass, converged 1,000 resources, in process';
    return [
      { name: `converged world: built in (${built.operations} driver operations)`, value: Math.round(built.buildMs / 100) / 10, unit: 's' },
      { name: `${label}: actions planned per save (global interval changed)`, value: actions, unit: 'actions' },
      ...(['load', 'describe', 'verify', 'plan', 'render', 'total'] as const).map((k) => ({
        name: `${label}: ${k === 'verify' ? 'cloning-domain checks' : k === 'load' ? 'loadConfig' : k}, median of ${RUNS}`,
        value: round(median(steps[k])),
        unit: 'ms',
      })),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchWatchPass()));
}

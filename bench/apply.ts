/**
 * Benchmark of apply under emulated device latency: a 24-HSM fleet (3 HAPGs of 8 members, 6
 * clients) applied from an empty world in a file-backed state directory, with every device
 * operation taking 20 ms of real time and `--parallelism 10`. The run is compared with the DAG's
 * lower bound, max(critical path, total work / parallelism), computed from each action's own
 * measured duration: the ratio is what the scheduler and the executor's checks add (goal ≤ 1.15).
 * Run with `npx tsx bench/apply.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { openEmulator } from '../src/emulator/index.js';
import { applyPlan } from '../src/reconcile/apply/executor.js';
import type { ActionReport } from '../src/reconcile/apply/result.js';
import { observe } from '../src/reconcile/observe.js';
import { plan } from '../src/reconcile/plan/index.js';
import type { Plan } from '../src/reconcile/plan/types.js';
import { generateFleetYaml } from './fixtures.js';
import { formatRows, type Row } from './table.js';

const LATENCY_MS = Number(process.env.LATENCY ?? 20);
const PARALLELISM = 10;

/** Longest path through the DAG, each action weighted by its measured duration. */
function criticalPath(toApply: Plan, reports: Map<string, ActionReport>): number {
  const memo = new Map<string, number>();
  const finish = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const action = toApply.actions.find((a) => a.id === id)!;
    const value = Math.max(0, ...action.dependsOn.map(finish)) + (reports.get(id)?.durationMs ?? 0);
    memo.set(id, value);
    return value;
  };
  return Math.max(...toApply.actions.map((a) => finish(a.id)));
}

/** Applies the 24-HSM fleet once and compares the run with the DAG bound. */
export async function benchApply(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-apply-'));
  try {
    const generated = await generateFleetYaml(join(dir, 'config'), { hsms: 24, hapgs: 3, clients: 6 });
    const loaded = await loadConfig(generated.dir, { env: generated.env, cwd: dir });
    if (loaded.fleet === undefined) throw new Error('generated configuration is invalid');
    const desired = loaded.fleet;
    const emu = openEmulator(join(dir, 'state'));
    await emu.setLatency(LATENCY_MS);
    const observation = await observe(emu, desired);
    const toApply = plan(desired, observation.observed, { cloningDomainMismatch: observation.cloningDomainMismatch });

    // Count the device operations (every driver call but the reads sleeps the latency).
    let deviceOps = 0;
    const counted = new Proxy(emu, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (key !== 'describe' && key !== 'verifyCloningDomain') deviceOps++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const start = performance.now();
    const result = await applyPlan(toApply, { driver: counted, desired, parallelism: PARALLELISM });
    const runMs = performance.now() - start;
    if (result.outcome !== 'complete') throw new Error(`apply did not complete: ${result.outcome}`);

    const reports = new Map(result.actions.map((a) => [a.id, a]));
    const work = result.actions.reduce((sum, a) => sum + (a.durationMs ?? 0), 0);
    const path = criticalPath(toApply, reports);
    const bound = Math.max(path, work / PARALLELISM);
    const actionsMs = result.durationMs;
    return [
      { name: `apply 24 HSMs / 3 HAPGs / 6 clients, ${LATENCY_MS} ms latency, parallelism ${PARALLELISM}: actions`, value: toApply.actions.length, unit: 'actions' },
      { name: 'apply: wall time, including the confirming re-plan', value: Math.round(runMs), unit: 'ms' },
      { name: 'apply: executor run (result.durationMs)', value: Math.round(actionsMs), unit: 'ms' },
      { name: 'apply: DAG critical path (measured action durations)', value: Math.round(path), unit: 'ms' },
      { name: 'apply: total work / parallelism', value: Math.round(work / PARALLELISM), unit: 'ms' },
      { name: 'apply: wall time / DAG lower bound (goal ≤ 1.15)', value: Math.round((runMs / bound) * 100) / 100, unit: '×' },
      { name: `apply: device operations × ${LATENCY_MS} ms / parallelism (latency alone)`, value: Math.round((deviceOps * LATENCY_MS) / PARALLELISM), unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchApply()));
}

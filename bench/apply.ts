/**
 * Benchmark of apply under emulated device latency: a 24-HSM fleet (3 HAPGs of 8 members, 6
 * clients) applied from an empty world in a file-backed state directory, with every device
 * operation taking 20 ms of real time, the apply journal on, and `--parallelism 10`.
 *
 * The run is compared with the DAG's lower bound, max(critical path, total work / parallelism),
 * where each action's work is its duration when it runs alone (from recording its intent in the
 * journal to its outcome): the same plan is first applied on fresh states with `--parallelism 1`,
 * so no action waits for another, and each action's median over those runs is its work. The
 * parallel run is repeated and its median taken, since one run varies by ±10% on a shared VM. The
 * ratio (goal ≤ 1.15) is what running in parallel adds: the scheduler, and every action's share of
 * the one JavaScript thread and of the disk (the journal's background fsyncs, and the emulated
 * devices' own commits, which happen within their latency as a real appliance's do). Beside it:
 * the same bound from the durations the actions had in the parallel run itself (what the schedule
 * alone adds), the bound from latency alone (device operations × latency / parallelism), and the
 * same measurement with the world in memory and no journal (no file written or fsynced: what the
 * state directory adds).
 * Run with `npx tsx bench/apply.ts` (~70 s).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { createEmulator, openEmulator } from '../src/emulator/index.js';
import { memoryStore } from '../src/emulator/store/index.js';
import { applyPlan, newRunId } from '../src/reconcile/apply/executor.js';
import { Journal } from '../src/reconcile/apply/journal.js';
import { startPriority } from '../src/reconcile/apply/scheduler.js';
import type { ApplyResult } from '../src/reconcile/apply/result.js';
import { observe } from '../src/reconcile/observe.js';
import { plan } from '../src/reconcile/plan/index.js';
import type { Plan } from '../src/reconcile/plan/types.js';
import { generateFleetYaml } from './fixtures.js';
import { formatRows, type Row } from './table.js';

const LATENCY_MS = Number(process.env.LATENCY ?? 20);
const PARALLELISM = 10;
const PARALLEL_RUNS = 5;
const ALONE_RUNS = 3;

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ratio = (x: number): number => Math.round(x * 100) / 100;

/** Longest path through the DAG, each action weighted by `durationOf`. */
function criticalPath(toApply: Plan, durationOf: (id: string) => number): number {
  const byId = new Map(toApply.actions.map((a) => [a.id, a]));
  const memo = new Map<string, number>();
  const finish = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const value = Math.max(0, ...byId.get(id)!.dependsOn.map(finish)) + durationOf(id);
    memo.set(id, value);
    return value;
  };
  return Math.max(...toApply.actions.map((a) => finish(a.id)));
}

/**
 * The executor's schedule (start each action as soon as its dependencies are done, up to
 * `parallelism` at once, in the scheduler's order of priority) with each action taking `durationOf`.
 */
function greedySchedule(toApply: Plan, durationOf: (id: string) => number, parallelism: number): number {
  const remaining = new Map(toApply.actions.map((a) => [a.id, a.dependsOn.length]));
  const dependents = new Map<string, string[]>();
  for (const a of toApply.actions) for (const d of a.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), a.id]);
  const position = new Map(toApply.actions.map((a, i) => [a.id, i]));
  const before = startPriority(toApply.actions, parallelism);
  const ready = toApply.actions.filter((a) => a.dependsOn.length === 0).map((a) => a.id);
  const running: { id: string; end: number }[] = [];
  let now = 0;
  while (ready.length > 0 || running.length > 0) {
    ready.sort((a, b) => before(position.get(a)!, position.get(b)!));
    while (running.length < parallelism && ready.length > 0) {
      const id = ready.shift()!;
      running.push({ id, end: now + durationOf(id) });
    }
    running.sort((a, b) => a.end - b.end);
    const next = running.shift()!;
    now = next.end;
    for (const d of dependents.get(next.id) ?? []) {
      const left = remaining.get(d)! - 1;
      remaining.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  return now;
}

/**
 * Where the emulated world lives: a state directory with the apply journal beside it (what
 * `hsmctl apply` does), or memory only, without a journal (nothing is written or fsynced).
 */
type WorldKind = 'state directory' | 'memory';

/** One apply of the generated fleet on a fresh world: its plan, result, wall time and device operations. */
async function applyOnce(dir: string, parallelism: number, kind: WorldKind): Promise<{ toApply: Plan; result: ApplyResult; runMs: number; deviceOps: number }> {
  const generated = await generateFleetYaml(join(dir, 'config'), { hsms: 24, hapgs: 3, clients: 6 });
  const loaded = await loadConfig(generated.dir, { env: generated.env, cwd: dir });
  if (loaded.fleet === undefined) throw new Error('generated configuration is invalid');
  const desired = loaded.fleet;
  const stateDir = join(dir, 'state');
  const emu = kind === 'memory' ? createEmulator(memoryStore()) : openEmulator(stateDir);
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
  const run = newRunId();
  const start = performance.now();
  const journal = kind === 'memory' ? undefined : Journal.start(stateDir, run, toApply.actions.length);
  const result = await applyPlan(toApply, { driver: counted, desired, parallelism, run, journal });
  const runMs = performance.now() - start;
  if (result.outcome !== 'complete') throw new Error(`apply did not complete: ${result.outcome}`);
  return { toApply, result, runMs, deviceOps };
}

/** The runs of one kind of world and the DAG bound they are compared with. */
interface Measured {
  alone: Awaited<ReturnType<typeof applyOnce>>;
  runs: Awaited<ReturnType<typeof applyOnce>>[];
  parallel: Awaited<ReturnType<typeof applyOnce>>;
  durationOf: (id: string) => number;
  path: number;
  work: number;
  bound: number;
}

/**
 * Applies the 24-HSM fleet alone-per-action `ALONE_RUNS` times, then in parallel `PARALLEL_RUNS`
 * times (each on a fresh world), and finds the DAG bound of the median parallel run.
 */
async function measure(kind: WorldKind, fresh: () => Promise<string>): Promise<Measured> {
  const aloneRuns: Awaited<ReturnType<typeof applyOnce>>[] = [];
  for (let i = 0; i < ALONE_RUNS; i++) aloneRuns.push(await applyOnce(await fresh(), 1, kind));
  aloneRuns.sort((a, b) => a.runMs - b.runMs);
  const alone = aloneRuns[Math.floor(ALONE_RUNS / 2)]!;
  // Ids are made of the configuration's names, so an action has the same id in every run. Its
  // work is the median of its durations alone: one hiccup of the machine does not inflate it.
  const durations = new Map(alone.result.actions.map((a) => [a.id, medianOf(aloneRuns.map((r) => r.result.actions.find((x) => x.id === a.id)!.durationMs ?? 0))]));
  const runs: Awaited<ReturnType<typeof applyOnce>>[] = [];
  for (let i = 0; i < PARALLEL_RUNS; i++) runs.push(await applyOnce(await fresh(), PARALLELISM, kind));
  runs.sort((a, b) => a.runMs - b.runMs);
  const parallel = runs[Math.floor(PARALLEL_RUNS / 2)]!;
  const durationOf = (id: string) => durations.get(id) ?? 0;
  const work = parallel.toApply.actions.reduce((sum, a) => sum + durationOf(a.id), 0);
  const path = criticalPath(parallel.toApply, durationOf);
  return { alone, runs, parallel, durationOf, path, work, bound: Math.max(path, work / PARALLELISM) };
}

/** The apply figures: on a state directory (the goal), and in memory without a journal beside it. */
export async function benchApply(): Promise<Row[]> {
  const dirs: string[] = [];
  const fresh = async () => {
    dirs.push(await mkdtemp(join(tmpdir(), 'hsmctl-bench-apply-')));
    return dirs.at(-1)!;
  };
  try {
    const { alone, runs, parallel, durationOf, path, work, bound } = await measure('state directory', fresh);
    const greedy = greedySchedule(parallel.toApply, durationOf, PARALLELISM);
    // The same bound from the durations the actions had in the parallel run itself: how close the
    // executor's schedule came to the best any schedule could do with them (contention for the
    // state directory and the one JavaScript thread is then part of each action's work).
    const inRun = new Map(parallel.result.actions.map((a) => [a.id, a.durationMs ?? 0]));
    const inRunOf = (id: string) => inRun.get(id) ?? 0;
    const inRunWork = parallel.toApply.actions.reduce((sum, a) => sum + inRunOf(a.id), 0);
    const inRunBound = Math.max(criticalPath(parallel.toApply, inRunOf), inRunWork / PARALLELISM);
    const latencyBound = (parallel.deviceOps * LATENCY_MS) / PARALLELISM;
    // Without the state directory's fsyncs (its log, and the journal's intents), to show what they add.
    const memory = await measure('memory', fresh);
    const label = `apply 24 HSMs / 3 HAPGs / 6 clients, ${LATENCY_MS} ms latency`;
    return [
      { name: `${label}: actions`, value: parallel.toApply.actions.length, unit: 'actions' },
      { name: `${label}: one action at a time (--parallelism 1): wall time, median of ${ALONE_RUNS} runs`, value: Math.round(alone.runMs), unit: 'ms' },
      { name: `${label}, parallelism ${PARALLELISM}: wall time, median of ${PARALLEL_RUNS} runs`, value: Math.round(parallel.runMs), unit: 'ms' },
      { name: `${label}, parallelism ${PARALLELISM}: wall time, fastest and slowest run`, value: `${Math.round(runs[0]!.runMs)}–${Math.round(runs.at(-1)!.runMs)}`, unit: 'ms' },
      { name: 'apply: DAG critical path (each action as long as its median alone)', value: Math.round(path), unit: 'ms' },
      { name: `apply: total work / ${PARALLELISM} (each action as long as its median alone)`, value: Math.round(work / PARALLELISM), unit: 'ms' },
      { name: `apply: the executor's schedule replayed with those durations and no overhead`, value: Math.round(greedy), unit: 'ms' },
      { name: 'apply: median wall time / DAG lower bound (goal ≤ 1.15)', value: ratio(parallel.runMs / bound), unit: '×' },
      { name: 'apply: fastest and slowest run / DAG lower bound', value: `${ratio(runs[0]!.runMs / bound)}–${ratio(runs.at(-1)!.runMs / bound)}`, unit: '×' },
      { name: `apply: total work / ${PARALLELISM} in that median run (each action as long as it took there)`, value: Math.round(inRunWork / PARALLELISM), unit: 'ms' },
      { name: "apply: median wall time / the DAG lower bound from that run's own durations", value: ratio(parallel.runMs / inRunBound), unit: '×' },
      { name: `apply: device operations × ${LATENCY_MS} ms / ${PARALLELISM} (latency alone)`, value: Math.round(latencyBound), unit: 'ms' },
      { name: 'apply: median wall time / latency alone', value: ratio(parallel.runMs / latencyBound), unit: '×' },
      { name: `apply, world in memory, no journal: wall time, median of ${PARALLEL_RUNS} runs (one at a time: ${Math.round(memory.alone.runMs)} ms)`, value: Math.round(memory.parallel.runMs), unit: 'ms' },
      { name: 'apply, world in memory, no journal: median wall time / DAG lower bound', value: ratio(memory.parallel.runMs / memory.bound), unit: '×' },
    ];
  } finally {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchApply()));
}

/**
 * Benchmark of planning at fleet size, against the floor of only parsing the YAML: for 100 and
 * 1,000 HSMs (HSMs / 8 HAPGs, 2 clients per HSM), the median of several runs of
 *  - parse: `yaml.parseDocument` of every file (the floor),
 *  - load: `loadConfig` (parse, schema, rules, secrets), each time from cold (no file reused),
 *  - plan vs an empty world and vs a converged world (the pure planner alone),
 *  - load + plan, as a ratio to the floor (the goal: ≤ 2×), and with the text rendering added
 *    (what `hsmctl plan` does before it writes); each ratio is the median of ratios of runs made
 *    back to back with a floor run,
 *  - load + only making the objects of the empty world's plan, copied from a plan made before
 *    (new strings, objects and lists, as the planner makes them, and no planning): the least any
 *    planner that returns this plan could cost,
 *  - the heap the empty world's plan keeps (after full collections), since on a VM every new
 *    megabyte costs its first touch.
 * Observing the world is measured apart (bench/emulator.ts: describe of a 1,000-HSM world).
 * Run with `npx tsx bench/plan.ts`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDocument } from 'yaml';
import { clearCheckedFiles } from '../src/config/cache.js';
import { loadConfig } from '../src/config/index.js';
import type { DesiredFleet } from '../src/config/index.js';
import { plan } from '../src/reconcile/plan/index.js';
import { flat } from '../src/reconcile/plan/shared.js';
import type { Action } from '../src/reconcile/plan/types.js';
import { renderPlanText } from '../src/render/plan-text.js';
import { convergedWorld, emptyWorld } from '../test/fixtures/worlds/converged.js';
import { generateFleetYaml } from './fixtures.js';
import { formatRows, median as medianOf, round, type Row } from './table.js';

const RUNS = 5;

const median = (fn: () => unknown) => medianOf(RUNS, fn);

/**
 * The median over `RATIO_RUNS` pairs of (time of `fn`) / (time of `floor`), each pair measured
 * back to back: a ratio within the same moment of the machine, steadier than a ratio of two
 * medians. Single pairs at 1,000 HSMs range over ±30% (garbage collections and fresh memory land
 * in either run of a pair), hence 15 pairs.
 */
async function ratioToFloor(floor: () => unknown, fn: () => unknown): Promise<number> {
  await fn(); // warm-up, not counted
  const ratios: number[] = [];
  for (let i = 0; i < RATIO_RUNS; i++) {
    const floorMs = await medianOf(1, floor);
    ratios.push((await medianOf(1, fn)) / floorMs);
  }
  ratios.sort((a, b) => a - b);
  return Math.round(ratios[Math.floor(RATIO_RUNS / 2)]! * 100) / 100;
}
const RATIO_RUNS = 15;

/** The figures for one fleet size. */
async function measure(hsms: number): Promise<{ rows: Row[]; planEmptyMs: number; planConvergedMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-plan-'));
  try {
    const generated = await generateFleetYaml(dir, { hsms, hapgs: Math.ceil(hsms / 8), clients: hsms * 2 });
    const load = async (): Promise<DesiredFleet> => {
      clearCheckedFiles();
      const result = await loadConfig(dir, { env: generated.env, cwd: dir });
      if (result.fleet === undefined) throw new Error(`generated configuration is invalid: ${result.diagnostics[0]?.message}`);
      return result.fleet;
    };
    const parse = () => generated.files.map((f) => parseDocument(readFileSync(f, 'utf8')));
    const parseMs = await median(parse);
    const loadMs = await median(load);
    const desired = await load();
    const empty = emptyWorld();
    // The converged world first (the empty world's 75,800-action plans leave garbage behind
    // them), in a scope of its own: like a `hsmctl plan` process, the empty world's figures
    // then run with one world in memory, not with both.
    const { planConvergedMs, loadPlanConverged, commandConverged } = await (async () => {
      const converged = convergedWorld(desired);
      return {
        planConvergedMs: await median(() => plan(desired, converged)),
        loadPlanConverged: await ratioToFloor(parse, async () => plan(await load(), converged)),
        commandConverged: await ratioToFloor(parse, async () => renderPlanText(plan(await load(), converged), { colour: false })),
      };
    })();
    collectGarbage();
    const planEmptyMs = await median(() => plan(desired, empty));
    const loadPlanEmpty = await ratioToFloor(parse, async () => plan(await load(), empty));
    const template = plan(desired, empty).actions;
    const positions = new Map(template.map((a, i) => [a.id, i]));
    const deps = template.map((a) => Int32Array.from(a.dependsOn, (id) => positions.get(id)!));
    const firstWithReason = new Map<string, number>();
    const sharesReason = Int32Array.from(template, (a, i) => firstWithReason.get(a.reason) ?? (firstWithReason.set(a.reason, i), -1));
    const loadOutputEmpty = await ratioToFloor(parse, async () => outputOnly(template, deps, sharesReason, await load()));
    const commandEmpty = await ratioToFloor(parse, async () => renderPlanText(plan(await load(), empty), { colour: false }));
    const size = `${hsms} HSMs / ${Math.ceil(hsms / 8)} HAPGs / ${hsms * 2} clients`;
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const actions = plan(desired, empty).actions;
    collectGarbage();
    const keptMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    const cli = cliPlan(dir, generated.env);
    return {
      planEmptyMs,
      planConvergedMs,
      rows: [
        { name: `plan ${size}: YAML parse only (floor)`, value: round(parseMs), unit: 'ms' },
        { name: `plan ${size}: load configuration`, value: round(loadMs), unit: 'ms' },
        { name: `plan ${size}: planner, empty world (${actions.length} actions)`, value: round(planEmptyMs), unit: 'ms' },
        {
          name: `plan ${size}: heap the empty world's plan keeps (${Math.round((keptMiB * 2 ** 20) / actions.length)} B/action)`,
          value: round(keptMiB),
          unit: 'MiB',
        },
        { name: `plan ${size}: planner, converged world`, value: round(planConvergedMs), unit: 'ms' },
        { name: `plan ${size}: load + plan, empty world`, value: loadPlanEmpty, unit: '× floor' },
        { name: `plan ${size}: load + plan, converged world`, value: loadPlanConverged, unit: '× floor' },
        { name: `plan ${size}: load + only making the empty world plan's objects (no planning)`, value: loadOutputEmpty, unit: '× floor' },
        { name: `plan ${size}: load + plan + render text, empty world`, value: commandEmpty, unit: '× floor' },
        { name: `plan ${size}: load + plan + render text, converged world`, value: commandConverged, unit: '× floor' },
        { name: `plan ${size}: one "hsmctl plan" process, empty world: wall time`, value: Math.round(cli.ms), unit: 'ms' },
        { name: `plan ${size}: one "hsmctl plan" process, empty world: peak memory (RSS)`, value: cli.rssMiB, unit: 'MiB' },
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The actions of `template` made again the way the planner makes them (new strings, made flat;
 * new objects, params and dependency lists), without any of its work of deciding, linking and
 * ordering: what producing that plan costs at the least. `deps` are the positions each action
 * depends on; `sharesReason` the earlier position whose reason an action shares (the planner makes
 * one reason for many actions), or -1; `_desired` only keeps the loaded configuration alive, as
 * planning does.
 */
function outputOnly(template: readonly Action[], deps: readonly Int32Array[], sharesReason: Int32Array, _desired: DesiredFleet): Action[] {
  const copy = (text: string): string => flat(text.slice(0, 1) + text.slice(1));
  const out = new Array<Action>(template.length);
  const ids = new Array<string>(template.length);
  for (let i = 0; i < template.length; i++) {
    const a = template[i]!;
    ids[i] = copy(a.id);
    const reason = sharesReason[i]! < 0 ? copy(a.reason) : out[sharesReason[i]!]!.reason;
    out[i] = { ...a, id: ids[i]!, address: copy(a.address), reason, params: { ...a.params }, dependsOn: [] } as Action;
  }
  for (let i = 0; i < template.length; i++) {
    const d = deps[i]!;
    const dependsOn = new Array<string>(d.length);
    for (let j = 0; j < d.length; j++) dependsOn[j] = ids[d[j]!]!;
    out[i]!.dependsOn = dependsOn;
  }
  return out;
}

/** A full garbage collection (`gc` is not exposed to this process unless asked for). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * One `hsmctl plan` process (the built CLI, output discarded) on a configuration against an empty
 * state directory: its wall time and its peak memory.
 */
function cliPlan(dir: string, env: Record<string, string>): { ms: number; rssMiB: number } {
  const main = new URL('../dist/cli/main.js', import.meta.url).href;
  const script = `process.on('exit', () => process.stderr.write('@@RSS ' + process.resourceUsage().maxRSS + '\\n'));
    const m = await import(${JSON.stringify(main)}); await m.main(JSON.parse(process.env.BENCH_ARGS));`;
  const args = ['plan', dir, '--state', join(dir, '.state')];
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env, BENCH_ARGS: JSON.stringify(args) },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  const rss = /@@RSS (\d+)/.exec(child.stderr)?.[1];
  if (child.status !== 0 || rss === undefined) throw new Error(`hsmctl plan failed: ${child.stderr.slice(0, 500)}`);
  return { ms, rssMiB: Math.round(Number(rss) / 1024) };
}

/** Planning at 100 and 1,000 HSMs, the 10× scaling ratio, and the peak memory of the process. */
export async function benchPlan(): Promise<Row[]> {
  const small = await measure(100);
  const large = await measure(1000);
  return [
    ...small.rows,
    ...large.rows,
    { name: 'plan: scaling 100 → 1,000 HSMs, empty world (10× the fleet)', value: round(large.planEmptyMs / small.planEmptyMs), unit: '×' },
    { name: 'plan: scaling 100 → 1,000 HSMs, converged world (10× the fleet)', value: round(large.planConvergedMs / small.planConvergedMs), unit: '×' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchPlan()));
}

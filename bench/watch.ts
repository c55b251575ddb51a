/**
 * Benchmark of `hsmctl watch`: how long after a configuration file is saved the pass's plan is on
 * screen, for a ~1,000-resource configuration (250 HSMs, 30 HAPGs, 720 clients; bench/fixtures.ts).
 * The built CLI (`node bin/hsmctl.js watch`, run `npm run build` first) is spawned and its stdout
 * read as it comes; each save toggles the global autoRecovery interval, and the time is taken from
 * just before the write to the moment the pass's plan (its first line) and its status line arrive.
 * The 100 ms debounce is part of the figure, as a person sees it. Measured against an empty world,
 * so every pass plans (and prints) the creation of the whole fleet (27,876 actions, 6 MB of text);
 * and, for what watch itself adds, the same on the quickstart. Goal: ≤ 150 ms to the plan.
 * Run with `npx tsx bench/watch.ts` (takes ~10 s).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { generateFleetYaml } from './fixtures.js';
import { formatRows, type Row } from './store.js';

const SIZE = { hsms: 250, hapgs: 30, clients: 720 };
const SAVES = 9;
const BIN = new URL('../bin/hsmctl.js', import.meta.url).pathname;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Saves `SAVES` times and times each save → plan → status on one watch process. */
/** When each part of a pass arrived after a save (ms), and how much it printed. */
interface Timing {
  headerMs: number;
  planMs: number;
  statusMs: number;
  chars: number;
}

/** Saves `SAVES` times and times each save → header → plan → status on one watch process. */
async function measure(dir: string, file: string, state: string, env: Record<string, string>): Promise<Timing[]> {
  const child = spawn(process.execPath, [BIN, 'watch', dir, '--interval', '0', '--state', state], {
    cwd: dir,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Lines are looked at as they complete (a pass prints megabytes: never rescan what was read).
  let partial = '';
  let t0 = 0;
  let current: Partial<Timing> & { chars: number } = { chars: 0 };
  let wake: (() => void) | undefined;
  const onLine = (line: string) => {
    const at = performance.now() - t0;
    if (current.headerMs === undefined && /^── .* pass \d+ · /.test(line)) current.headerMs = at;
    else if (current.planMs === undefined && /^(Plan: |No changes\.)/.test(line)) current.planMs = at;
    else if (current.statusMs === undefined && /^(✓ in sync|\d+ changes? pending)/.test(line)) current.statusMs = at;
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    current.chars += chunk.length;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
    wake?.();
  });
  const untilStatus = () =>
    new Promise<Timing>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('watch did not finish a pass within 60 s')), 60_000);
      wake = () => {
        if (current.statusMs === undefined) return;
        clearTimeout(timer);
        wake = undefined;
        resolve({ headerMs: current.headerMs ?? NaN, planMs: current.planMs ?? NaN, statusMs: current.statusMs, chars: current.chars });
      };
    });
  try {
    await untilStatus();
    const policy = join(dir, file);
    const timings: Timing[] = [];
    for (let i = 0; i < SAVES; i++) {
      const text = readFileSync(policy, 'utf8');
      const next = text.includes('interval: 60') ? text.replace('interval: 60', 'interval: 90') : text.replace('interval: 90', 'interval: 60');
      current = { chars: 0 };
      const done = untilStatus();
      t0 = performance.now();
      writeFileSync(policy, next);
      timings.push(await done);
    }
    return timings;
  } finally {
    child.kill('SIGINT');
    await once(child, 'exit');
  }
}

export async function benchWatch(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-watch-'));
  try {
    const generated = await generateFleetYaml(join(dir, 'fleet'), SIZE);
    const desired = (await loadConfig(generated.dir, { env: generated.env, cwd: dir })).fleet!;
    const resources = desired.hsms.length + desired.hapgs.length + desired.clients.length;
    const label = `watch ${resources} resources`;
    const runs = await measure(generated.dir, 'global.yaml', join(dir, 'state'), generated.env);
    const of = (key: 'headerMs' | 'planMs' | 'statusMs') => runs.map((r) => r[key]);
    // The same on the quickstart (2 HSMs, 1 HAPG, 1 client): what watch itself adds to a save.
    cpSync(new URL('../examples/quickstart/', import.meta.url).pathname, join(dir, 'quickstart'), { recursive: true });
    const small = await measure(join(dir, 'quickstart'), 'fleet.yaml', join(dir, 'state-quickstart'), {});
    return [
      { name: `watch quickstart (4 resources), empty world: save → plan printed, median of ${SAVES}`, value: round(median(small.map((r) => r.planMs))), unit: 'ms' },
      { name: `${label}, empty world: save → pass header (event + debounce), median of ${SAVES}`, value: round(median(of('headerMs'))), unit: 'ms' },
      { name: `${label}, empty world: save → plan printed, median of ${SAVES}`, value: round(median(of('planMs'))), unit: 'ms' },
      { name: `${label}, empty world: save → plan printed, min`, value: round(Math.min(...of('planMs'))), unit: 'ms' },
      { name: `${label}, empty world: save → plan printed, max`, value: round(Math.max(...of('planMs'))), unit: 'ms' },
      { name: `${label}, empty world: save → status line, median`, value: round(median(of('statusMs'))), unit: 'ms' },
      { name: `${label}, empty world: text of one pass`, value: runs[0]?.chars ?? 0, unit: 'chars' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchWatch()));
}

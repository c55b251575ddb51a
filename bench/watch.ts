/**
 * Benchmark of `hsmctl watch`: how long after a configuration file is saved the pass's plan is on
 * screen, for a ~1,000-resource configuration (250 HSMs, 30 HAPGs, 720 clients; bench/fixtures.ts).
 * The built CLI (`node bin/hsmctl.js watch`, run `npm run build` first) is spawned and its stdout
 * read as it comes; the time is taken from just before the write to the moment the pass's header,
 * its plan (its first line) and its status line arrive. Each save comes 250 ms after the previous
 * pass's status line. The 100 ms debounce is part of the figure, as a person sees it. Goal: ≤ 150 ms
 * to the plan.
 *
 * The goal rows are on a converged world (bench/converged-state.ts: the fleet exists, as when a
 * person edits the configuration of a running fleet): each save sets the global autoRecovery
 * interval to 90 or 120 s alternately (the world has 60), so every pass plans one
 * `client.setAutoRecovery` update per client that follows the global policy (648); then each save
 * changes one client's own autoRecovery interval (one update per pass). Secondary rows: the same
 * configuration against an empty world (every pass plans and prints the creation of the whole
 * fleet, 27,876 actions, 6 MB of text), and the quickstart on an empty world (what watch itself
 * adds to a save). Run with `npx tsx bench/watch.ts` (~1 min, most of it building the world).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { buildConvergedState } from './converged-state.js';
import { generateFleetYaml } from './fixtures.js';
import { formatRows, type Row } from './store.js';

const SIZE = { hsms: 250, hapgs: 30, clients: 720 };
const SAVES = 9;
/** Quiet time between a pass's status line and the next save. */
const PAUSE_MS = 250;
const BIN = new URL('../bin/hsmctl.js', import.meta.url).pathname;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

/** When each part of a pass arrived after a save (ms), and how much it printed. */
interface Timing {
  headerMs: number;
  planMs: number;
  statusMs: number;
  chars: number;
  /** The pass's status line. */
  status: string;
}

/** A series of saves: the file and how each save rewrites its text. */
interface Edit {
  /** Relative to the configuration directory. */
  file: string;
  /** The next text of the file. */
  next: (text: string) => string;
}

/** Alternates a setting between two values (the file must hold one of them). */
function alternate(from: string, to: string): (text: string) => string {
  return (text) => {
    if (text.includes(from)) return text.replace(from, to);
    if (text.includes(to)) return text.replace(to, from);
    throw new Error(`neither "${from}" nor "${to}" in the file`);
  };
}

/**
 * Starts one watch process, and for each series saves `SAVES` times and times each save → header →
 * plan → status; `between` runs after a series (e.g. a save that restores the file), and its pass
 * is waited for but not timed.
 */
async function measure(dir: string, state: string, env: Record<string, string>, series: { edit: Edit; after?: Edit }[]): Promise<Timing[][]> {
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
    else if (current.statusMs === undefined && /^(✓ in sync|\d+ changes? pending)/.test(line)) {
      current.statusMs = at;
      current.status = line;
    }
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
        resolve({ headerMs: current.headerMs ?? NaN, planMs: current.planMs ?? NaN, statusMs: current.statusMs, chars: current.chars, status: current.status ?? '' });
      };
    });
  const save = async (edit: Edit): Promise<Timing> => {
    // A person does not save within milliseconds of the last pass ending: let its tail (the state signature) finish.
    await delay(PAUSE_MS);
    const path = join(dir, edit.file);
    const next = edit.next(readFileSync(path, 'utf8'));
    current = { chars: 0 };
    const done = untilStatus();
    t0 = performance.now();
    writeFileSync(path, next);
    return done;
  };
  try {
    await untilStatus();
    const results: Timing[][] = [];
    for (const { edit, after } of series) {
      const timings: Timing[] = [];
      for (let i = 0; i < SAVES; i++) timings.push(await save(edit));
      results.push(timings);
      if (after !== undefined) await save(after);
    }
    return results;
  } finally {
    child.kill('SIGINT');
    await once(child, 'exit');
  }
}

/** The figures of one series. */
function rowsOf(label: string, runs: Timing[], detail: boolean): Row[] {
  const of = (key: 'headerMs' | 'planMs' | 'statusMs') => runs.map((r) => r[key]);
  const rows: Row[] = [
    { name: `${label}: save → pass header (event + debounce), median of ${SAVES}`, value: round(median(of('headerMs'))), unit: 'ms' },
    { name: `${label}: save → plan printed, median of ${SAVES}`, value: round(median(of('planMs'))), unit: 'ms' },
  ];
  if (detail) {
    rows.push(
      { name: `${label}: save → plan printed, min`, value: round(Math.min(...of('planMs'))), unit: 'ms' },
      { name: `${label}: save → plan printed, max`, value: round(Math.max(...of('planMs'))), unit: 'ms' },
    );
  }
  rows.push(
    { name: `${label}: save → status line, median`, value: round(median(of('statusMs'))), unit: 'ms' },
    { name: `${label}: text of one pass`, value: runs[0]?.chars ?? 0, unit: 'chars' },
  );
  return rows;
}

/** The number of changes a pass's status line reports (0 when in sync). */
function changesOf(t: Timing | undefined): number {
  return Number(/^(\d+) changes? pending/.exec(t?.status ?? '')?.[1] ?? 0);
}

export async function benchWatch(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-watch-'));
  try {
    const generated = await generateFleetYaml(join(dir, 'fleet'), SIZE);
    const desired = (await loadConfig(generated.dir, { env: generated.env, cwd: dir })).fleet!;
    const resources = desired.hsms.length + desired.hapgs.length + desired.clients.length;
    const label = `watch ${resources} resources`;

    // The goal: a fleet that exists. Global interval 60 → 90 ↔ 120, then back to 60; then one client's 120 → 150 ↔ 180.
    const converged = await buildConvergedState(desired, join(dir, 'state-converged'));
    const [global, one] = await measure(generated.dir, converged.stateDir, generated.env, [
      { edit: { file: 'global.yaml', next: (t) => (t.includes('interval: 60\n') ? t.replace('interval: 60\n', 'interval: 90\n') : alternate('interval: 90\n', 'interval: 120\n')(t)) },
        after: { file: 'global.yaml', next: (t) => t.replace(/interval: (90|120)\n/, 'interval: 60\n') } },
      { edit: { file: 'clients/part-000.yaml', next: (t) => (/interval: 1[58]0 }/.test(t) ? alternate('interval: 150 }', 'interval: 180 }')(t) : t.replace('interval: 120 }', 'interval: 150 }')) } },
    ]);
    const globalChanges = changesOf(global?.[0]);
    const oneChanges = changesOf(one?.[0]);
    if (globalChanges === 0 || oneChanges !== 1) throw new Error(`unexpected plans on the converged world: ${globalChanges} and ${oneChanges} changes`);

    // Secondary: the same configuration against an empty world, and the quickstart.
    const [empty] = await measure(generated.dir, join(dir, 'state-empty'), generated.env, [{ edit: { file: 'global.yaml', next: alternate('interval: 60\n', 'interval: 90\n') } }]);
    cpSync(new URL('../examples/quickstart/', import.meta.url).pathname, join(dir, 'quickstart'), { recursive: true });
    const [small] = await measure(join(dir, 'quickstart'), join(dir, 'state-quickstart'), {}, [{ edit: { file: 'fleet.yaml', next: alternate('interval: 60 ', 'interval: 90 ') } }]);
    return [
      { name: `${label}: converged world built in (${converged.operations} driver operations)`, value: Math.round(converged.buildMs / 100) / 10, unit: 's' },
      ...rowsOf(`${label}, converged, global autoRecovery interval edited (${globalChanges} updates)`, global ?? [], true),
      ...rowsOf(`${label}, converged, one client's autoRecovery edited (1 update)`, one ?? [], true),
      ...rowsOf(`${label}, empty world (secondary)`, empty ?? [], true),
      { name: `watch quickstart (4 resources), empty world: save → plan printed, median of ${SAVES}`, value: round(median((small ?? []).map((r) => r.planMs))), unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchWatch()));
}

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { clearCheckedFiles } from '../src/config/cache.js';
import { loadConfig } from '../src/config/index.js';
import { generateFleetYaml } from './fixtures.js';

import { formatRows, median, round, type Row } from './table.js';

const SIZE = { hsms: 1000, hapgs: 125, clients: 2000 };
const RUNS = 7;

/** A ratio to a hundredth. */
function ratio(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The median wall time (ms) of each function over `runs` rounds that run them one after another. */
async function interleavedMedians(runs: number, fns: readonly (() => unknown)[]): Promise<number[]> {
  const times = fns.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, fn] of fns.entries()) {
      const start = performance.now();
      await fn();
      times[j]?.push(performance.now() - start);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)] ?? 0);
}

/**
 * Median time of `runs` re-loads of the configuration, each after `global.yaml` was rewritten
 * with another retry count (outside the timing). Every file is read each time; only the changed
 * one is parsed again. Checks that each load sees the change.
 */
async function reloadAfterOneChange(dir: string, options: { env: Record<string, string>; cwd: string }, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const retry = i % 2 === 0 ? 5 : -1;
    await writeFile(join(dir, 'global.yaml'), `autoRecovery:\n  enabled: true\n  retry: ${retry}\n  interval: 60\n`);
    const start = performance.now();
    const result = await loadConfig('.', options);
    times.push(performance.now() - start);
    if (result.fleet?.autoRecovery?.retry !== retry) throw new Error('the re-load did not see the changed file');
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * Loads a generated 1,000-HSM / 125-HAPG / 2,000-client configuration and compares the floor
 * (reading and `yaml.parseDocument` of every file) with the full `loadConfig` (schemas,
 * secrets, rules, building the fleet). The first load also pays for compiling the schemas. A full
 * load starts from an empty cache of checked files; a re-load (what `hsmctl watch` does on each
 * pass) re-reads every file but parses only the one that changed.
 */
export async function benchConfig(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hsmctl-bench-config-'));
  try {
    const fleet = await generateFleetYaml(dir, SIZE);
    const options = { env: fleet.env, cwd: dir };

    const coldStart = performance.now();
    const first = await loadConfig('.', options);
    const cold = performance.now() - coldStart;
    if (first.fleet === undefined || first.diagnostics.length > 0) {
      throw new Error(`generated configuration is not clean: ${first.diagnostics.length} diagnostics`);
    }

    const parse = async () => {
      for (const file of fleet.files) parseDocument(await readFile(file, 'utf8'), { lineCounter: new LineCounter() });
    };
    await parse();
    // Floor and full loads alternate, so that both see the same machine; a full load starts from
    // an empty cache. Then re-loads, from the cache a load filled (as in a long-running watch).
    const [floor = 0, full = 0] = await interleavedMedians(RUNS, [parse, () => {
      clearCheckedFiles();
      return loadConfig('.', options);
    }]);
    await loadConfig('.', options);
    const reload = await reloadAfterOneChange(dir, options, RUNS);
    const unchanged = await median(RUNS, () => loadConfig('.', options));
    const sizeNote = `${SIZE.hsms} HSMs, ${SIZE.hapgs} HAPGs, ${SIZE.clients} clients in ${fleet.files.length} files`;
    return [
      { name: `config ${sizeNote}: YAML parse only (floor)`, value: round(floor), unit: 'ms' },
      { name: 'config: loadConfig (full)', value: round(full), unit: 'ms' },
      { name: 'config: loadConfig / floor', value: ratio(full / floor), unit: '×' },
      { name: 'config: first loadConfig in a process (compiles schemas)', value: round(cold), unit: 'ms' },
      { name: 'config: re-load after one file changed', value: round(reload), unit: 'ms' },
      { name: 'config: re-load after one file changed / full', value: ratio(reload / full), unit: '×' },
      { name: 'config: re-load, nothing changed', value: round(unchanged), unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatRows(await benchConfig()));
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

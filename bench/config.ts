import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { loadConfig } from '../src/config/index.js';
import { generateFleetYaml } from './fixtures.js';

/** One measured figure. */
export interface Row {
  /** What was measured. */
  name: string;
  /** Median wall time of the runs, in milliseconds. */
  medianMs: number;
  /** How many runs the median is taken over. */
  runs: number;
  /** Extra context (sizes, ratios). */
  note?: string;
}

const SIZE = { hsms: 1000, hapgs: 125, clients: 2000 };
const RUNS = 7;

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * Loads a generated 1,000-HSM / 125-HAPG / 2,000-client configuration and compares the floor
 * (reading and `yaml.parseDocument` of every file) with the full `loadConfig` (schemas,
 * secrets, rules, building the fleet). The first load also pays for compiling the schemas.
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
    const floor = await median(RUNS, parse);
    const full = await median(RUNS, () => loadConfig('.', options));
    const sizeNote = `${SIZE.hsms} HSMs, ${SIZE.hapgs} HAPGs, ${SIZE.clients} clients in ${fleet.files.length} files`;
    return [
      { name: 'config: YAML parse only (floor)', medianMs: floor, runs: RUNS, note: sizeNote },
      { name: 'config: loadConfig (full)', medianMs: full, runs: RUNS, note: `${(full / floor).toFixed(2)}× the floor` },
      { name: 'config: first loadConfig (compiles schemas)', medianMs: cold, runs: 1 },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prints rows as a small table. */
export function printRows(rows: readonly Row[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    console.log(`${r.name.padEnd(width)}  ${r.medianMs.toFixed(1).padStart(8)} ms  (median of ${r.runs})${r.note ? `  ${r.note}` : ''}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchConfig();
  printRows(rows);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

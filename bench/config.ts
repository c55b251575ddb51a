import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { loadConfig } from '../src/config/index.js';
import { generateFleetYaml } from './fixtures.js';

import { formatRows, median, round, type Row } from './table.js';

const SIZE = { hsms: 1000, hapgs: 125, clients: 2000 };
const RUNS = 7;

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
      { name: `config ${sizeNote}: YAML parse only (floor)`, value: round(floor), unit: 'ms' },
      { name: 'config: loadConfig (full)', value: round(full), unit: 'ms' },
      { name: 'config: loadConfig / floor', value: round(full / floor), unit: '×' },
      { name: 'config: first loadConfig in a process (compiles schemas)', value: round(cold), unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatRows(await benchConfig()));
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

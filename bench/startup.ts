/**
 * Start-up cost of the CLI: `hsmctl --version` (the compiled entry point, no TypeScript loader,
 * no command module loaded) against a bare `node -e 0`, median of 15 runs each. Needs `dist/`
 * (`npm run build`). Run with `npx tsx bench/startup.ts`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatRows, round, type Row } from './table.js';

const RUNS = 15;
const bin = fileURLToPath(new URL('../bin/hsmctl.js', import.meta.url));

function median(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function benchStartup(): Promise<Row[]> {
  const node = median(['-e', '0']);
  const version = median([bin, '--version']);
  const validate = median([bin, 'validate', fileURLToPath(new URL('../examples/quickstart', import.meta.url))]);
  return [
    { name: 'start-up: node -e 0', value: round(node), unit: 'ms' },
    { name: 'start-up: hsmctl --version', value: round(version), unit: 'ms' },
    { name: 'start-up: hsmctl --version − node -e 0', value: round(version - node), unit: 'ms' },
    { name: 'start-up: hsmctl validate examples/quickstart', value: round(validate), unit: 'ms' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatRows(await benchStartup()));
}

/**
 * `npm run bench`: the project's performance table in one run. Each benchmark runs in a process
 * of its own (so timings and peak memory are its own), in this order: start-up, configuration
 * load, the store and the emulated world at 1,000 HSMs, planning at 100 and 1,000 HSMs, apply
 * under emulated latency, and watch's save → plan latency. Before each, the disk is flushed
 * (`sync`), so that the writeback of what an earlier one wrote does not land in its timings (the
 * emulator's benchmark writes a 1,000-HSM world; apply's fsyncs would queue behind it). Needs
 * `dist/` (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatRows, type Row } from './table.js';

const benches: [file: string, fn: string][] = [
  ['startup.ts', 'benchStartup'],
  ['config.ts', 'benchConfig'],
  ['store.ts', 'benchStore'],
  ['emulator.ts', 'benchEmulator'],
  ['plan.ts', 'benchPlan'],
  ['apply.ts', 'benchApply'],
  ['watch.ts', 'benchWatch'],
];

const only = process.argv.slice(2);
const rows: Row[] = [];
for (const [file, fn] of benches) {
  if (only.length > 0 && !only.some((o) => file.startsWith(o))) continue;
  const url = new URL(file, import.meta.url).href;
  const script = `const m = await import(${JSON.stringify(url)}); const rows = await m.${fn}();
    rows.push({ name: '${file.replace('.ts', '')}: peak memory (RSS) of this benchmark', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MiB' });
    process.stdout.write('\\n@@ROWS@@' + JSON.stringify(rows) + '\\n');`;
  process.stderr.write(`running ${file}…\n`);
  spawnSync('sync'); // where there is no `sync`, the benchmark runs all the same
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const marker = child.stdout.lastIndexOf('@@ROWS@@');
  if (child.status !== 0 || marker < 0) {
    process.stderr.write(`${file} failed (exit ${child.status}):\n${child.stderr}\n`);
    process.exitCode = 1;
    continue;
  }
  rows.push(...(JSON.parse(child.stdout.slice(marker + '@@ROWS@@'.length)) as Row[]));
}
console.log(formatRows(rows));

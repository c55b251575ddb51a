/**
 * Soak test of `hsmctl watch --apply`: the built CLI watches a three-HSM fleet while a chaos
 * driver (scripts/soak-chaos.ts) fails and restores HSMs, changes the world out of band, writes key
 * objects and edits the configuration. At the end every HSM is restored and the clock moved on;
 * the fleet must converge (`hsmctl plan` finds nothing to do), every key object created must be on
 * every member of the group, watch must exit 0 on SIGINT leaving no lock, and its memory (RSS,
 * sampled from /proc) must not grow without bound.
 *
 *   npm run build && npx tsx scripts/soak.ts --duration 10m [--seed N] [--interval 2s] [--guarded] [--keep]
 *
 * test/watch/soak.test.ts runs `soak()` for a short while in CI.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDuration, parseDuration } from '../src/duration.js';
import { runCli } from '../src/cli/main.js';
import { openEmulator, type WorldEmulator } from '../src/emulator/index.js';
import { fleetYaml, HAPG, prng, runChaos, type Chaos, type ChaosCounts } from './soak-chaos.js';
import { rssFigures, rssOf, WatchOutput, type RssFigures } from './soak-output.js';

export { statusVerdicts } from './soak-output.js';

/** How to soak. */
export interface SoakOptions {
  /** How long the chaos runs (ms). */
  durationMs: number;
  /** Seed of the chaos (random when absent). */
  seed?: number;
  /** watch's `--interval` (ms; default 2 s). */
  intervalMs?: number;
  /** How long convergence may take after the chaos stops (ms; default 60 s). */
  convergeTimeoutMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /**
   * Make the chaos keep an HA operator's two disciplines (default false): take a member out of a
   * group only when the others hold its objects (scripts/soak-chaos.ts), and at the end recover by
   * hand the members of a group in which no member is alive. Without them (the default) the
   * reconciler must protect itself: it treats removing the only holder of an object as destructive
   * and plans the manual recovery of a group with no live member.
   */
  guarded?: boolean;
  /** Keep the temporary directory, with watch's whole output (`watch.log`) and the chaos trace (`chaos.log`). */
  keep?: boolean;
}

/** What a soak found. */
export interface SoakReport {
  seed: number;
  chaosMs: number;
  chaos: ChaosCounts;
  /** Passes watch ran, and their status lines by verdict. */
  passes: number;
  statuses: Record<string, number>;
  keys: { created: number; lost: string[]; unsynced: string[] };
  converged: boolean;
  /** Members recovered by hand at the end because no member of their group was alive (guarded only). */
  operatorRecoveries: number;
  /** From the end of the chaos to a plan with no changes (ms). */
  convergeMs: number;
  rss: RssFigures;
  exit: { code: number | null; signal: string | null };
  lockLeft: boolean;
  /** Lines that say "internal error" (bugs), in watch's output. */
  internalErrors: string[];
  /** Whether every check passed. */
  ok: boolean;
  /** The end of watch's output, to see what happened. */
  tail: string;
}

const ROOT = new URL('../', import.meta.url).pathname;

/**
 * What an operator does for a group in which no member is alive for a client ("with every member
 * failed, nothing recovers"): `vtl haAdmin -recover` each member by hand. Returns how many.
 */
async function recoverDeadGroups(emulator: WorldEmulator): Promise<number> {
  let recovered = 0;
  for (const client of (await emulator.describe()).clients) {
    for (const group of client.haStatus) {
      if (group.members.length === 0 || group.members.some((m) => m.state === 'alive')) continue;
      for (const m of group.members) {
        await emulator.recoverMember({ clientName: client.name, hapgLabel: group.hapgLabel, hsmSerial: m.hsmSerial });
        recovered += 1;
      }
    }
  }
  return recovered;
}

/** Runs one soak in a temporary directory (removed afterwards) and reports. */
export async function soak(options: SoakOptions): Promise<SoakReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'hsmctl-soak-'));
  const config = join(dir, 'fleet');
  const state = join(dir, 'state');
  const chaos: Chaos = { counts: {}, keys: [], shape: { thirdMember: false, app2Override: false } };
  try {
    cpSync(join(ROOT, 'examples/quickstart/secrets'), join(config, 'secrets'), { recursive: true });
    writeFileSync(join(config, 'fleet.yaml'), fleetYaml(chaos.shape));
    const cli = async (...args: string[]) => {
      let out = '';
      const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, env: {}, cwd: dir };
      return { code: await runCli([...args, '--state', state], io), out };
    };
    if ((await cli('apply', config, '--auto-approve')).code !== 0) throw new Error('the initial apply failed');

    const interval = formatDuration(options.intervalMs ?? 2_000);
    const child = spawn(process.execPath, [join(ROOT, 'bin/hsmctl.js'), 'watch', config, '--apply', '--interval', interval, '--state', state], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    const output = new WatchOutput();
    const keep = (file: string) => (text: string) => {
      if (options.keep === true) appendFileSync(join(dir, file), text);
    };
    const watchLog = keep('watch.log');
    const trace = keep('chaos.log');
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output.feed(c), watchLog(c)));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output.feed(c), watchLog(c)));
    if (!(await output.nextPass(15_000))) throw new Error(`watch did not finish its first pass:\n${output.tail()}`);

    const rss: number[] = [];
    const every = Math.max(250, Math.floor(options.durationMs / 400));
    const sampler = setInterval(() => {
      const mib = child.pid === undefined ? undefined : rssOf(child.pid);
      if (mib !== undefined) rss.push(mib);
    }, every);
    const progress = setInterval(() => log(`  … ${output.passes} passes, ${chaos.keys.length} keys, RSS ${rss.at(-1)?.toFixed(1) ?? '?'} MiB`), 30_000);

    const emulator = openEmulator(state);
    const chaosStart = Date.now();
    log(`soak: seed ${seed}, chaos for ${formatDuration(options.durationMs)}, watch --interval ${interval}`);
    const guarded = options.guarded ?? false;
    await runChaos({ emulator, configDir: config, random: prng(seed), until: chaosStart + options.durationMs, guarded, trace: (line) => trace(`${line}\n`) }, chaos);
    const chaosMs = Date.now() - chaosStart;
    clearInterval(progress);

    // The end: every HSM back, the clock moved on so recoveries fall due, until a plan is empty.
    const endStart = Date.now();
    const deadline = endStart + (options.convergeTimeoutMs ?? 60_000);
    let converged = false;
    let operatorRecoveries = 0;
    while (!converged && Date.now() < deadline) {
      for (const h of (await emulator.describe()).hsms) if (h.reachability !== 'reachable') await emulator.restore(h.arn);
      const passed = output.nextPass(10_000);
      await emulator.advance(30 * 60_000);
      await passed;
      if ((await cli('plan', config, '--detailed-exitcode')).code !== 0) continue;
      const recovered = guarded ? await recoverDeadGroups(emulator) : 0;
      operatorRecoveries += recovered;
      converged = recovered === 0;
    }
    const convergeMs = Date.now() - endStart;
    clearInterval(sampler);

    const world = await emulator.describe();
    const members = world.hapgs.find((g) => g.label === HAPG)?.members ?? [];
    const held = await Promise.all(members.map(async (m) => new Set((await emulator.listKeys(m.hsmArn)).map((k) => k.label))));
    const lost = chaos.keys.filter((k) => !held.some((s) => s.has(k)));
    const unsynced = chaos.keys.filter((k) => !lost.includes(k) && !held.every((s) => s.has(k)));

    child.kill('SIGINT');
    const [code, signal] = (await exited) as [number | null, string | null];
    const report: SoakReport = {
      seed,
      chaosMs,
      chaos: chaos.counts,
      passes: output.passes,
      statuses: output.statuses,
      keys: { created: chaos.keys.length, lost, unsynced },
      converged,
      operatorRecoveries,
      convergeMs,
      rss: rssFigures(rss),
      exit: { code, signal },
      lockLeft: existsSync(join(state, 'hsmctl.lock')),
      internalErrors: output.internalErrors,
      ok: false,
      tail: output.tail(),
    };
    report.ok =
      converged && lost.length === 0 && unsynced.length === 0 && code === 0 && !report.lockLeft && report.internalErrors.length === 0;
    return report;
  } finally {
    if (options.keep === true) log(`soak: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The report in words. */
export function formatSoakReport(r: SoakReport): string {
  const chaos = Object.entries(r.chaos)
    .map(([kind, c]) => `${kind} ${c.done}${c.refused > 0 ? ` (+${c.refused} refused)` : ''}${c.skipped > 0 ? ` (+${c.skipped} skipped)` : ''}`)
    .join(', ');
  const statuses = Object.entries(r.statuses)
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
  return [
    `soak ${r.ok ? 'PASSED' : 'FAILED'} (seed ${r.seed})`,
    `  chaos: ${formatDuration(r.chaosMs)}: ${chaos}`,
    `  watch: ${r.passes} passes; ${statuses}`,
    `  keys: ${r.keys.created} created, ${r.keys.lost.length} lost, ${r.keys.unsynced.length} missing from some member` +
      (r.keys.lost.length + r.keys.unsynced.length > 0 ? ` (lost: ${r.keys.lost.join(' ') || '-'}; missing: ${r.keys.unsynced.join(' ') || '-'})` : ''),
    `  converged: ${r.converged} (${(r.convergeMs / 1000).toFixed(1)}s after the chaos stopped; ` +
      `${r.operatorRecoveries} members recovered by hand in groups with no live member)`,
    `  RSS of watch: first ${r.rss.firstMiB} MiB, last ${r.rss.lastMiB} MiB, max ${r.rss.maxMiB} MiB ` +
      `(max in first half ${r.rss.firstHalfMaxMiB}, second half ${r.rss.secondHalfMaxMiB}; ${r.rss.samples} samples)`,
    `  exit on SIGINT: code ${r.exit.code}${r.exit.signal !== null ? ` signal ${r.exit.signal}` : ''}; lock left: ${r.lockLeft}; internal errors: ${r.internalErrors.length}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      seed: { type: 'string' },
      interval: { type: 'string' },
      keep: { type: 'boolean' },
      guarded: { type: 'boolean' },
    },
  });
  const report = await soak({
    durationMs: parseDuration(values.duration ?? '1m'),
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    ...(values.interval !== undefined ? { intervalMs: parseDuration(values.interval) } : {}),
    convergeTimeoutMs: 120_000,
    keep: values.keep === true,
    guarded: values.guarded === true,
    log: (line) => console.log(line),
  });
  console.log(formatSoakReport(report));
  if (!report.ok) console.log(`\n--- end of watch output ---\n${report.tail}`);
  process.exitCode = report.ok ? 0 : 1;
}

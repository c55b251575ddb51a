import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { WatchIo } from './io.js';
import { colourWanted } from '../render/style.js';
import { isConfigFileName } from '../config/files.js';
import { displayPath, loadConfig } from '../config/index.js';
import type { DesiredFleet } from '../config/index.js';
import type { FleetDriver } from '../fleet/driver.js';
import { lockPath } from '../reconcile/apply/lock.js';
import { renderWatchBanner } from '../render/watch-header.js';
import { watchConfig } from './config-watcher.js';
import { interruptible } from '../reconcile/apply/interruptible.js';
import type { PassReport } from './report.js';
import { PassRunner, type PassSettings, type PreparedPass } from './runner.js';
import { PassScheduler } from './scheduler.js';
import { stateSignature } from './state-files.js';
import { watchState } from './state-watcher.js';
import type { Trigger } from './triggers.js';

/**
 * `hsmctl watch` as a loop (Vitest's watcher is the model): file events only mark the fleet for
 * another look; a scheduler debounces them and runs one pass at a time; every pass re-reads the
 * configuration and re-observes the world. Three sources wake it: configuration files, documents
 * of the emulated world changed out of band, and a periodic re-observe. watch's own writes to the
 * world are recognised by the state signature taken when its pass ends, so applying never makes
 * the next pass.
 */

/** How to watch. */
export interface WatchSettings extends PassSettings {
  /** Re-observe this long after the last pass (ms); 0 turns it off. */
  intervalMs: number;
  /** Quiet time after the last event before a pass starts (ms). */
  debounceMs: number;
  /** Told every pass that ran (tests and the soak driver listen here). */
  onPass?: (report: PassReport) => void;
}

/** Default `--interval`. */
export const DEFAULT_INTERVAL_MS = 30_000;
/** Quiet time before a pass: an editor's save is often several writes. */
export const DEFAULT_DEBOUNCE_MS = 100;
/** Even a stream of events that never goes quiet gets a pass this often. */
const MAX_WAIT_MS = 1_000;

/** The absolute paths of `{ file }` secrets, which may live outside the configuration path. */
function secretFiles(desired: DesiredFleet, cwd: string): string[] {
  const files = new Set<string>();
  const note = (source: { file: string }, secret: { ref: { file?: string } | { env: string } } | undefined) => {
    if (secret !== undefined && 'file' in secret.ref && secret.ref.file !== undefined) files.add(resolve(cwd, dirname(source.file), secret.ref.file));
  };
  for (const h of desired.hsms) for (const s of [h.cloningDomain, h.soPassword, h.sshPublicKey]) note(h.source, s);
  for (const g of desired.hapgs) note(g.source, g.partitionPassword);
  return [...files];
}

/** Watches until `stopping` is aborted; then lets the running pass end (between device operations) and returns. */
export async function watchFleet(settings: WatchSettings, io: WatchIo, driver: FleetDriver, stopping: AbortSignal): Promise<void> {
  const { stateDir } = settings;
  const configAbs = resolve(io.cwd, settings.configPath);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // Secret files outside the configuration path are watched from the start, when it validates.
  const initial = await loadConfig(settings.configPath, { env: io.env, cwd: io.cwd });
  const runner = new PassRunner(settings, io, interruptible(driver, stopping), stopping);
  let signature = '';
  /** The secret files of the last valid configuration. */
  let secrets = new Set(initial.fleet !== undefined ? secretFiles(initial.fleet, io.cwd) : []);
  let last: PassReport | undefined;
  let interval: NodeJS.Timeout | undefined;

  const scheduler = new PassScheduler<PreparedPass>({
    debounceMs: settings.debounceMs,
    maxWaitMs: MAX_WAIT_MS,
    onError: (err) => io.stderr.write(`hsmctl: internal error (this is a bug):\n${err instanceof Error ? err.stack : String(err)}\n`),
    // Reading, observing and planning overlap the quiet time after a save.
    prepare: () => runner.prepare(),
    run: async (all, prepared) => {
      // State events that arrive after watch's own pass ended, about its own writes: no document
      // changed since that pass ended, so they are no reason to look again.
      const triggers = all.some((t) => t.kind === 'state') && stateSignature(stateDir) === signature ? all.filter((t) => t.kind !== 'state') : all;
      if (triggers.length === 0) return;
      clearTimeout(interval);
      last = await runner.run(triggers, prepared);
      signature = stateSignature(stateDir);
      if (runner.lastGood !== undefined) {
        secrets = new Set(secretFiles(runner.lastGood, io.cwd));
        config.add([...secrets]);
      }
      followUp(last, triggers);
      if (settings.intervalMs > 0 && !stopping.aborted) {
        interval = setTimeout(() => scheduler.mark({ kind: 'interval', ms: settings.intervalMs }, { immediate: true }), settings.intervalMs);
      }
      settings.onPass?.(last);
    },
  });

  /** A pass whose apply left work behind looks again once; a lock freed meanwhile is retried at once. */
  function followUp(report: PassReport, triggers: readonly Trigger[]): void {
    const o = report.outcome;
    const left = o.kind === 'applied' && (o.outcome === 'not-converged' || o.outcome === 'held-back');
    if (left && !triggers.some((t) => t.kind === 'follow-up')) {
      const reason = o.outcome === 'held-back' ? 'the applied plan held changes back' : 'the fleet still differed after applying';
      scheduler.mark({ kind: 'follow-up', reason }, { immediate: true });
    }
    if (o.kind === 'locked' && !existsSync(lockPath(stateDir))) scheduler.mark({ kind: 'lock-released' }, { immediate: true });
  }

  /**
   * Whether a change to this file can change what a pass reads: the configuration file itself, a
   * YAML file below the configuration directory, a secret file the configuration names, or any
   * file while the configuration does not load (it may be the secret file it lacks). Any other
   * file, such as a log of this very command kept beside the configuration, would start a pass
   * with each line written to it.
   */
  const readByPasses = (file: string): boolean =>
    file === configAbs || isConfigFileName(file) || secrets.has(file) || (last === undefined ? initial.fleet === undefined : last.invalidConfig !== undefined);
  const config = watchConfig({
    path: configAbs,
    also: [...secrets],
    exclude: [stateDir],
    onChange: (file) => {
      if (readByPasses(file)) scheduler.mark({ kind: 'config', files: [displayPath(file, io.cwd)] });
    },
    onError: (err) => io.stderr.write(`Warning: watching the configuration: ${err instanceof Error ? err.message : String(err)}\n`),
  });
  const state = watchState({
    stateDir,
    // Events during a pass are watch's own writes (or seen by the pass's own reading); while
    // another apply holds the lock, its writes are not news: its release is.
    onDocument: () => {
      if (scheduler.running || (last?.outcome.kind === 'locked' && existsSync(lockPath(stateDir)))) return;
      scheduler.mark({ kind: 'state' });
    },
    onLockReleased: () => {
      if (last?.outcome.kind === 'locked' && !scheduler.running) scheduler.mark({ kind: 'lock-released' });
    },
    onError: (err) => io.stderr.write(`Warning: watching the state: ${err instanceof Error ? err.message : String(err)}\n`),
  });

  const colour = colourWanted(io.stdout, io.env);
  try {
    await Promise.all([config.ready, state.ready]);
    io.stdout.write(
      renderWatchBanner(
        { config: settings.configPath, state: displayPath(stateDir, io.cwd), apply: settings.apply, intervalMs: settings.intervalMs },
        colour,
      ),
    );
    if (!stopping.aborted) scheduler.mark({ kind: 'start' }, { immediate: true });
    await new Promise<void>((done) => {
      if (stopping.aborted) done();
      else stopping.addEventListener('abort', () => done(), { once: true });
    });
  } finally {
    clearTimeout(interval);
    await Promise.all([config.close(), state.close()]);
    await scheduler.stop();
  }
}

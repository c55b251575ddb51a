import { resolve } from 'node:path';
import type { WatchIo } from './io.js';
import { colourWanted, styleFor } from '../render/style.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { declaresNothing, formatDiagnostic, loadConfig } from '../config/index.js';
import type { DesiredFleet, LoadResult } from '../config/index.js';
import { isExpectedError, UserError } from '../errors.js';
import type { FleetDriver } from '../fleet/driver.js';
import { recordInSync } from '../gitops/index.js';
import { SoGuard } from '../reconcile/actions/index.js';
import { planAhead, reconcileOnce, type PassResult } from '../reconcile/pass.js';
import type { Plan } from '../reconcile/plan/types.js';
import { progressRenderer } from '../render/apply-progress.js';
import { renderPlanText } from '../render/plan-text.js';
import { renderPassHeader } from '../render/watch-header.js';
import { renderPassStatus } from '../render/watch-status.js';
import type { PassOutcome, PassReport } from './report.js';
import type { Trigger } from './triggers.js';
import { inputsFingerprint } from './inputs.js';

/**
 * One watch pass on screen: the header, the configuration read afresh (its diagnostics when they
 * changed; the last good configuration kept when it is invalid, so a half-written file never
 * plans destruction), the reconcile pass itself (plan, and with --apply the apply progress), and
 * the status line. Failures of a pass are reported and never end watching.
 */

/** What the passes do. */
export interface PassSettings {
  /** Configuration path as the user gave it (relative to the working directory). */
  configPath: string;
  /** Absolute state directory (lock, journal, provenance). */
  stateDir: string;
  /** Apply each pass's plan (under the lock). */
  apply: boolean;
  /** Permit destructive actions. */
  allowDestroy: boolean;
  /** At most this many actions at a time. */
  parallelism: number;
  /** How long a pass waits for another holder of the apply lock (ms). */
  lockTimeoutMs: number;
}

/** A pass's work done ahead of it: the configuration as read and, when only planning, the plan. */
export interface PreparedPass {
  /** The fingerprint of the configuration files taken before the work began. */
  inputs: string;
  loaded: LoadResult;
  /** The plan, and the configuration it was made for (the one read, or the last good one). */
  planned?: { desired: DesiredFleet; plan: Plan };
}

export class PassRunner {
  readonly #settings: PassSettings;
  readonly #io: WatchIo;
  readonly #driver: FleetDriver;
  readonly #stopping: AbortSignal;
  readonly #colour: boolean;
  #pass = 0;
  #lastGood: DesiredFleet | undefined;
  /** Kept from pass to pass: a refused SO password is not tried again (a corrected one is). */
  readonly #soGuard = new SoGuard('while watching');
  #lastDiagnostics = '';

  constructor(settings: PassSettings, io: WatchIo, driver: FleetDriver, stopping: AbortSignal) {
    this.#settings = settings;
    this.#io = io;
    this.#driver = driver;
    this.#stopping = stopping;
    this.#colour = colourWanted(io.stdout, io.env);
  }

  /** The last configuration that validated (undefined before the first). */
  get lastGood(): DesiredFleet | undefined {
    return this.#lastGood;
  }

  /**
   * What a pass does before it shows anything: read the configuration and, when only planning,
   * observe the world and plan. No effect and no output, so it may run ahead of the pass.
   */
  async prepare(): Promise<PreparedPass> {
    const inputs = await this.#inputs();
    const loaded = await loadConfig(this.#settings.configPath, { env: this.#io.env, cwd: this.#io.cwd });
    const desired = usable(loaded) ?? this.#lastGood;
    if (this.#settings.apply || desired === undefined) return { inputs, loaded };
    const plan = await planAhead({ driver: this.#driver, desired, allowDestroy: this.#settings.allowDestroy });
    return { inputs, loaded, planned: { desired, plan } };
  }

  #inputs(): Promise<string> {
    return inputsFingerprint(resolve(this.#io.cwd, this.#settings.configPath));
  }

  /** Runs and shows one pass, with its preparation when it was made ahead (`prepare`, since the last trigger). */
  async run(triggers: readonly Trigger[], readied?: PreparedPass): Promise<PassReport> {
    const started = performance.now();
    // Prepared work counts only if nothing it read has changed since (events may have been merged).
    const prepared = readied !== undefined && readied.inputs === (await this.#inputs()) ? readied : undefined;
    this.#pass += 1;
    const pass = this.#pass;
    const out = (text: string) => this.#io.stdout.write(text);
    out(renderPassHeader(pass, triggers, new Date(), this.#colour));

    const loaded = prepared?.loaded ?? (await loadConfig(this.#settings.configPath, { env: this.#io.env, cwd: this.#io.cwd }));
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    const shown = loaded.diagnostics.map(formatDiagnostic).join('\n');
    const configChanged = triggers.some((t) => t.kind === 'start' || t.kind === 'config');
    if (loaded.diagnostics.length > 0 && (configChanged || shown !== this.#lastDiagnostics)) {
      this.#io.stdout.write(renderDiagnostics(loaded.diagnostics, this.#colour));
    }
    this.#lastDiagnostics = shown;
    const fleet = usable(loaded);
    if (fleet !== undefined) this.#lastGood = fleet;
    else if (loaded.fleet !== undefined && configChanged) out(emptyNote(this.#lastGood !== undefined, this.#colour));
    const invalidConfig = loaded.fleet === undefined ? { errors } : undefined;

    const desired = this.#lastGood;
    // Provenance names the configuration on disk: only recorded when that is what the fleet matches.
    const record = fleet === undefined ? 'never' : configChanged ? 'in-sync' : 'after-apply';
    const unreachable: string[] = [];
    const ahead = prepared?.planned;
    const plan = ahead !== undefined && ahead.desired === desired ? ahead.plan : undefined;
    const outcome: PassOutcome = desired === undefined ? { kind: 'no-config' } : await this.#reconcile(desired, record, unreachable, plan);
    const report: PassReport = {
      pass,
      outcome,
      unreachable,
      durationMs: performance.now() - started,
      ...(invalidConfig !== undefined ? { invalidConfig } : {}),
      ...(loaded.fleet !== undefined && fleet === undefined ? { emptyConfig: true as const } : {}),
    };
    out(renderPassStatus(report, this.#colour));
    return report;
  }

  async #reconcile(desired: DesiredFleet, record: 'never' | 'in-sync' | 'after-apply', unreachable: string[], plan: Plan | undefined): Promise<PassOutcome> {
    const { stateDir, apply } = this.#settings;
    const out = (text: string) => this.#io.stdout.write(text);
    let applying = false;
    try {
      const result = await reconcileOnce({
        driver: this.#driver,
        stopping: this.#stopping,
        soGuard: this.#soGuard,
        stateDir,
        desired,
        apply,
        ...(plan !== undefined ? { plan } : {}),
        allowDestroy: this.#settings.allowDestroy,
        parallelism: this.#settings.parallelism,
        lock: { operation: 'watch --apply', timeoutMs: this.#settings.lockTimeoutMs },
        onPlan: (plan) => {
          unreachable.push(...plan.unreachable.map((u) => u.name));
          out(renderPlanText(plan, { colour: this.#colour }));
        },
        approve: async () => {
          // watch --apply is the approval of every non-destructive plan (destructive ones are refused without --allow-destroy).
          applying = true;
          out('\n');
          return true;
        },
        emit: progressRenderer(out, { colour: this.#colour }),
        onInSync: async () => {
          if (record === 'in-sync' || (record === 'after-apply' && applying)) await recordInSync(this.#settings.stateDir, resolve(this.#io.cwd, this.#settings.configPath));
        },
        warn: (message) => this.#io.stderr.write(`Warning: ${message}\n`),
      });
      return this.#outcomeOf(result);
    } catch (err) {
      if (this.#stopping.aborted) return { kind: 'interrupted' };
      if (err instanceof UserError && err.code === 'lock.held') return { kind: 'locked', message: err.message.split('; ')[0] ?? err.message };
      if (isExpectedError(err)) return { kind: 'error', message: err.message };
      this.#io.stderr.write(`hsmctl: internal error (this is a bug):\n${err instanceof Error ? err.stack : String(err)}\n`);
      return { kind: 'error', message: `internal error (this is a bug): ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  #outcomeOf(result: PassResult): PassOutcome {
    switch (result.outcome) {
      case 'in-sync':
        return result.plan.deferred.length > 0 ? { kind: 'waiting', changes: result.plan.deferred.length } : { kind: 'in-sync' };
      case 'pending':
        return { kind: 'pending', changes: result.plan.actions.length };
      case 'refused':
        return { kind: 'refused', refusals: result.plan.refusals.length };
      case 'cancelled':
        return { kind: 'interrupted' };
      case 'applied': {
        if (this.#stopping.aborted && result.result.outcome !== 'complete') return { kind: 'interrupted' };
        const statuses = result.result.actions.map((a) => a.status);
        const waiting = result.result.verification?.remaining?.deferred.length ?? 0;
        return {
          kind: 'applied',
          outcome: result.result.outcome,
          actions: statuses.filter((s) => s === 'done').length,
          failed: statuses.filter((s) => s === 'failed').length,
          notStarted: statuses.filter((s) => s === 'not-started').length,
          durationMs: result.result.durationMs,
          ...(waiting > 0 ? { waiting } : {}),
        };
      }
    }
  }
}

/**
 * The configuration a pass may reconcile towards: a valid one that declares something. One that
 * declares nothing is what an emptied or half-written file reads as; applied, it would destroy
 * the fleet, so watch keeps the last good configuration instead (even with --allow-destroy).
 */
function usable(loaded: LoadResult): DesiredFleet | undefined {
  return loaded.fleet !== undefined && !declaresNothing(loaded.fleet) ? loaded.fleet : undefined;
}

function emptyNote(keeping: boolean, colour: boolean): string {
  const kept = keeping ? 'watch keeps the last good configuration' : 'watch plans nothing until it declares something';
  const note = `The configuration declares nothing: ${kept} (an emptied or half-written file never destroys the fleet). To destroy the fleet, run "hsmctl apply --allow-destroy".`;
  return `${styleFor(colour).yellow(note)}\n`;
}

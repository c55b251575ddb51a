import { mergeTriggers, type Trigger } from './triggers.js';

/**
 * Turns a stream of triggers into passes, as Vitest's watcher does: triggers are collected, a pass
 * starts once they have been quiet for `debounceMs` (an editor's save is often several writes), and
 * passes never overlap — triggers that arrive while one runs make exactly one pending pass, which
 * starts after the running one ends. Ten saves in a burst therefore give one or two passes.
 */

/** How to schedule passes. */
export interface SchedulerOptions<P = never> {
  /** Quiet time after the last trigger before a pass starts (ms). */
  debounceMs: number;
  /** A stream of triggers that never goes quiet still gets a pass this long after its first trigger (ms). */
  maxWaitMs: number;
  /**
   * Work of a pass that has no effect and shows nothing, started at each trigger that is not
   * immediate (one at a time) while no pass runs. Its result reaches `run` when no trigger came
   * after it started; otherwise `run` does the work itself.
   */
  prepare?: () => Promise<P>;
  /** Runs one pass with the merged triggers that led to it; never called while a pass runs. */
  run: (triggers: Trigger[], prepared: P | undefined) => Promise<void>;
  /** Receives what a pass threw (a pass is expected to report its own failures; this is the last resort). */
  onError: (err: unknown) => void;
}

/** Work started ahead of a pass: after which trigger it started, and its result. */
interface Speculation<P> {
  generation: number;
  settled: boolean;
  result: Promise<P>;
}

export class PassScheduler<P = never> {
  readonly #options: SchedulerOptions<P>;
  /** Counts triggers: work started ahead is current while no trigger came after it started. */
  #generation = 0;
  #ahead: Speculation<P> | undefined;
  #pending: Trigger[] = [];
  #firstAt = 0;
  #lastAt = 0;
  #immediate = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(options: SchedulerOptions<P>) {
    this.#options = options;
  }

  /** Whether a pass is running now. */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Records a trigger. `immediate` skips the quiet time (the first pass, a follow-up). */
  mark(trigger: Trigger, options: { immediate?: boolean } = {}): void {
    if (this.#stopped) return;
    const now = Date.now();
    if (this.#pending.length === 0) this.#firstAt = now;
    this.#lastAt = now;
    this.#pending.push(trigger);
    if (options.immediate === true) this.#immediate = true;
    this.#generation += 1;
    if (this.#running === undefined) {
      this.#arm();
      if (!this.#immediate) this.#prepareAhead();
    }
  }

  /** Stops scheduling and drops what is pending; resolves once the running pass (if any) ends. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pending = [];
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const ahead = this.#ahead;
    this.#ahead = undefined;
    await Promise.all([this.#running, ahead?.result.catch(() => undefined)]);
  }

  /** Resolves when no pass runs and none is pending or waiting for quiet. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #isIdle(): boolean {
    return this.#running === undefined && this.#pending.length === 0;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || this.#pending.length === 0) return;
    const due = this.#immediate ? 0 : Math.min(this.#lastAt + this.#options.debounceMs, this.#firstAt + this.#options.maxWaitMs);
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, due - Date.now()));
  }

  /** Starts the pass's preparation now, unless one is under way (it starts again when that one ends, if stale). */
  #prepareAhead(): void {
    const prepare = this.#options.prepare;
    if (prepare === undefined || this.#ahead?.settled === false) return;
    const ahead: Speculation<P> = { generation: this.#generation, settled: false, result: Promise.resolve(undefined as P) };
    ahead.result = prepare().finally(() => {
      ahead.settled = true;
      const stale = ahead.generation !== this.#generation;
      if (stale && this.#ahead === ahead && this.#timer !== undefined && this.#running === undefined && !this.#immediate) this.#prepareAhead();
    });
    ahead.result.catch(() => undefined); // a failed preparation is redone by the pass, which reports it
    this.#ahead = ahead;
  }

  /** The prepared work if it is current (after waiting for it to settle), else undefined. */
  async #takeAhead(generation: number): Promise<P | undefined> {
    const ahead = this.#ahead;
    this.#ahead = undefined;
    if (ahead === undefined) return undefined;
    try {
      const result = await ahead.result;
      return ahead.generation === generation ? result : undefined;
    } catch {
      return undefined;
    }
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#running !== undefined || this.#stopped || this.#pending.length === 0) return;
    const triggers = mergeTriggers(this.#pending);
    const generation = this.#generation;
    this.#pending = [];
    this.#immediate = false;
    this.#running = this.#takeAhead(generation)
      .then((prepared) => this.#options.run(triggers, prepared))
      .catch((err: unknown) => this.#options.onError(err))
      .finally(() => {
        this.#running = undefined;
        this.#arm();
        if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
      });
  }
}

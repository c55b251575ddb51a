import { mergeTriggers, type Trigger } from './triggers.js';

/**
 * Turns a stream of triggers into passes, as Vitest's watcher does: triggers are collected, a pass
 * starts once they have been quiet for `debounceMs` (an editor's save is often several writes), and
 * passes never overlap — triggers that arrive while one runs make exactly one pending pass, which
 * starts after the running one ends. Ten saves in a burst therefore give one or two passes.
 */

/** How to schedule passes. */
export interface SchedulerOptions {
  /** Quiet time after the last trigger before a pass starts (ms). */
  debounceMs: number;
  /** A stream of triggers that never goes quiet still gets a pass this long after its first trigger (ms). */
  maxWaitMs: number;
  /** Runs one pass with the merged triggers that led to it; never called while a pass runs. */
  run: (triggers: Trigger[]) => Promise<void>;
  /** Receives what a pass threw (a pass is expected to report its own failures; this is the last resort). */
  onError: (err: unknown) => void;
}

export class PassScheduler {
  readonly #options: SchedulerOptions;
  #pending: Trigger[] = [];
  #firstAt = 0;
  #lastAt = 0;
  #immediate = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(options: SchedulerOptions) {
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
    if (this.#running === undefined) this.#arm();
  }

  /** Stops scheduling and drops what is pending; resolves once the running pass (if any) ends. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pending = [];
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
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

  #fire(): void {
    this.#timer = undefined;
    if (this.#running !== undefined || this.#stopped || this.#pending.length === 0) return;
    const triggers = mergeTriggers(this.#pending);
    this.#pending = [];
    this.#immediate = false;
    this.#running = this.#options
      .run(triggers)
      .catch((err: unknown) => this.#options.onError(err))
      .finally(() => {
        this.#running = undefined;
        this.#arm();
        if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
      });
  }
}

import { readFileSync } from 'node:fs';

/**
 * What the soak reads of the watch process: its stdout line by line (passes, their verdicts, any
 * internal error) and its memory (VmRSS from /proc, Linux).
 */

/** Memory of the watch process over the run (MiB). */
export interface RssFigures {
  samples: number;
  firstMiB: number;
  lastMiB: number;
  maxMiB: number;
  /** Highest sample in the first and in the second half of the run. */
  firstHalfMaxMiB: number;
  secondHalfMaxMiB: number;
}

const MiB = 1024 * 1024;

/** Reads watch's stdout line by line: counts passes and verdicts, wakes whoever waits for a pass. */
export class WatchOutput {
  passes = 0;
  completed = 0;
  readonly statuses: Record<string, number> = {};
  readonly internalErrors: string[] = [];
  #partial = '';
  #tail: string[] = [];
  #waiters: (() => void)[] = [];

  feed(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  tail(): string {
    return this.#tail.join('\n');
  }

  /** Resolves once a pass that started after this call has ended (false on timeout). */
  nextPass(timeoutMs: number): Promise<boolean> {
    const target = this.passes + 1;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      const check = () => {
        if (this.completed >= target) {
          clearTimeout(timer);
          resolve(true);
        } else this.#waiters.push(check);
      };
      check();
    });
  }

  #line(line: string): void {
    this.#tail.push(line);
    if (this.#tail.length > 200) this.#tail.shift();
    if (/internal error/.test(line)) this.internalErrors.push(line);
    const header = /^── \d\d:\d\d:\d\d pass (\d+) · /.exec(line);
    if (header !== null) this.passes = Number(header[1]);
    const verdicts = statusVerdicts(line);
    if (verdicts.length === 0) return;
    for (const v of verdicts) this.statuses[v] = (this.statuses[v] ?? 0) + 1;
    this.completed = this.passes;
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** The verdicts of a status line (src/render/watch-status.ts), none for any other line. */
export function statusVerdicts(line: string): string[] {
  const words: [RegExp, string][] = [
    [/^✓ in sync/, 'in sync'],
    [/^✓ applied/, 'applied'],
    [/^applied .* still differs/, 'not converged'],
    [/^applied .* held back are next/, 'held back'],
    [/^✗ apply failed/, 'apply failed'],
    [/^✗ plan refused/, 'refused'],
    [/^✗ pass failed/, 'pass failed'],
    [/^waiting: /, 'lock held'],
    [/^configuration invalid: /, 'configuration invalid'],
    [/^\d+ changes? pending/, 'pending'],
    [/^interrupted: /, 'interrupted'],
    [/^nothing planned/, 'nothing planned'],
    [/^\d+ HSMs? unreachable/, 'with unreachable HSMs'],
  ];
  const parts = line.split(' · ');
  const first = words.find(([re]) => re.test(parts[0] ?? ''));
  if (first === undefined) return [];
  return parts.flatMap((p) => words.filter(([re]) => re.test(p)).map(([, v]) => v));
}

export function rssOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : (Number(kb) * 1024) / MiB;
  } catch {
    return undefined;
  }
}

export function rssFigures(samples: readonly number[]): RssFigures {
  const round = (n: number) => Math.round(n * 10) / 10;
  const half = Math.floor(samples.length / 2);
  return {
    samples: samples.length,
    firstMiB: round(samples[0] ?? 0),
    lastMiB: round(samples.at(-1) ?? 0),
    maxMiB: round(Math.max(0, ...samples)),
    firstHalfMaxMiB: round(Math.max(0, ...samples.slice(0, half))),
    secondHalfMaxMiB: round(Math.max(0, ...samples.slice(half))),
  };
}

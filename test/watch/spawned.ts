import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { BIN } from '../e2e/spawn.js';

/**
 * `node bin/hsmctl.js watch …` as a child process whose stdout is read as it comes, and awaited a
 * pass at a time: no fixed sleeps, every wait ends on output (or fails after a timeout, showing
 * what was printed).
 */

/** One pass as printed: its header, what it printed and its status line. */
export interface PrintedPass {
  number: number;
  /** The trigger words of the header, e.g. `quickstart/fleet.yaml changed`. */
  trigger: string;
  /** Everything between the header and the status line. */
  body: string;
  /** The status line (without newline). */
  status: string;
  /** Offset in stdout just after the status line. */
  end: number;
}

export interface WatchProcess {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the first pass that ends after stdout offset `from` (default: after the last one awaited). */
  nextPass(options?: { from?: number; timeoutMs?: number }): Promise<PrintedPass>;
  /** Resolves with the first pass after `from` whose header, body or status matches `pattern`. */
  passMatching(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<PrintedPass>;
  /** Every pass printed so far. */
  passes(): PrintedPass[];
  /** Resolves once stdout (from `from`) matches `pattern`. */
  printed(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const HEADER = /^── \d\d:\d\d:\d\d pass (\d+) · trigger: (.*) ──$/gm;
/** The first words of every status line (src/render/watch-status.ts). */
const STATUS = /^(?:✓ |✗ |configuration invalid: |\d+ changes? pending|applied |waiting: |nothing planned|interrupted: ).*$/m;

/** Parses every complete pass in `out`. */
export function parsePasses(out: string): PrintedPass[] {
  const headers = [...out.matchAll(HEADER)];
  const passes: PrintedPass[] = [];
  for (const [i, h] of headers.entries()) {
    const start = h.index + h[0].length + 1;
    const limit = headers[i + 1]?.index ?? out.length;
    const rest = out.slice(start, limit);
    const status = STATUS.exec(rest.split('\n').reverse().find((line) => STATUS.test(line)) ?? '');
    if (status === null) continue;
    const at = rest.lastIndexOf(status[0]);
    passes.push({ number: Number(h[1]), trigger: h[2] ?? '', body: rest.slice(0, at), status: status[0], end: start + at + status[0].length + 1 });
  }
  return passes.filter((p) => p.end <= out.length);
}

export function startWatch(args: string[], cwd: string, env: Record<string, string> = {}): WatchProcess {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let cursor = 0;
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const l of [...listeners]) l();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const l of [...listeners]) l();
  });

  /** Resolves with `find()`'s first defined answer, re-checked on every chunk of output. */
  function until<T>(what: string, find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) finish(() => resolve(found));
        else if (gone) finish(() => reject(new Error(`watch exited before ${what}:\n${out}\n--- stderr ---\n${err}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}:\n${out}\n--- stderr ---\n${err}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });
  }

  const passAfter = (from: number, pattern: RegExp | undefined) =>
    parsePasses(out).find((p) => p.end > from && (pattern === undefined || pattern.test(`${p.trigger}\n${p.body}\n${p.status}`)));

  return {
    child,
    out: () => out,
    err: () => err,
    async nextPass(options = {}) {
      const pass = await until('the next pass', () => passAfter(options.from ?? cursor, undefined), options.timeoutMs);
      cursor = pass.end;
      return pass;
    },
    async passMatching(pattern, options = {}) {
      const pass = await until(`a pass matching ${pattern}`, () => passAfter(options.from ?? cursor, pattern), options.timeoutMs);
      cursor = pass.end;
      return pass;
    },
    passes: () => parsePasses(out),
    printed: async (pattern, options = {}) => {
      await until(`output matching ${pattern}`, () => (pattern.test(out.slice(options.from ?? 0)) ? true : undefined), options.timeoutMs);
    },
    exited,
  };
}

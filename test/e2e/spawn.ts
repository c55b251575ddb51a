import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Running the built CLI (`bin/hsmctl.js`, compiled into dist/ by `npm run build`) as a process. */

export const BIN = new URL('../../bin/hsmctl.js', import.meta.url).pathname;

/** A started `node bin/hsmctl.js …` process with its output collected. */
export interface Running {
  child: ChildProcess;
  /** Output so far. */
  out(): string;
  err(): string;
  /** Resolves once stdout contains `text`. */
  printed(text: string): Promise<void>;
  /** Exit code (null when killed) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of waiters.splice(0)) {
      if (out.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    out: () => out,
    err: () => err,
    printed: (text) =>
      out.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ text, resolve });
            void exited.then(() => reject(new Error(`exited before printing "${text}":\n${out}\n${err}`)));
          }),
    exited,
  };
}

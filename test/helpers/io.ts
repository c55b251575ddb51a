import type { CliIo } from '../../src/cli/io.js';

/** A CliIo that records what a command writes, for in-process CLI tests. */
export function captureIo(options: { env?: Record<string, string | undefined>; cwd?: string } = {}) {
  let out = '';
  let err = '';
  const io: CliIo & { out(): string; err(): string } = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
  return io;
}

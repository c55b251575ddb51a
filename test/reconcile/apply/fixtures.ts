import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { openEmulator, type WorldEmulator } from '../../../src/emulator/index.js';
import { captureIo } from '../../helpers/io.js';

/**
 * A workspace for apply tests: a temporary directory holding a copy of examples/quickstart
 * (`fleet.yaml`, `secrets/`) and a state directory, with helpers to run the CLI in-process there
 * and to reach the emulated world directly (to change it out of band, as an operator would).
 */

export const QUICKSTART = new URL('../../../examples/quickstart/', import.meta.url).pathname;

/** The demo secrets of the quickstart: none may appear in any output or file hsmctl writes. */
export const QUICKSTART_SECRETS = ['demo-only-cloning-domain', 'demo-only-partition-password', 'demo-only-so-password'];

/** What one in-process CLI run gave. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface Workspace {
  /** The temporary directory (the CLI's working directory). */
  dir: string;
  /** The configuration directory (a copy of the quickstart). */
  config: string;
  /** The state directory. */
  state: string;
  /** Runs `hsmctl ARGS… --state <state>` in-process with `dir` as working directory. */
  cli(args: string[], options?: { prompt?: (q: string) => Promise<string>; env?: Record<string, string>; tty?: boolean }): Promise<CliRun>;
  /** The emulated world of the state directory. */
  emulator(): WorldEmulator;
  /** Writes a file (relative to the configuration directory). */
  write(relative: string, text: string): void;
  /** Every file hsmctl wrote in the workspace, as text (to look for leaked secrets). */
  writtenText(): string;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'hsmctl-apply-'));
  made.push(dir);
  const config = join(dir, 'quickstart');
  cpSync(QUICKSTART, config, { recursive: true });
  const state = join(dir, 'state');
  return {
    dir,
    config,
    state,
    async cli(args, options = {}) {
      const io = captureIo({ cwd: dir, env: options.env ?? {} });
      if (options.prompt !== undefined) io.prompt = options.prompt;
      if (options.tty === true) io.stdout.isTTY = true;
      const code = await runCli([...args, '--state', state], io);
      return { code, out: io.out(), err: io.err() };
    },
    emulator: () => openEmulator(state),
    write(relative, text) {
      writeFileSync(join(config, relative), text);
    },
    writtenText() {
      const texts: string[] = [];
      const walk = (path: string): void => {
        if (path === config) return;
        if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
        else texts.push(readFileSync(path, 'utf8'));
      };
      walk(dir);
      return texts.join('\n');
    },
  };
}

/** Replaces the durations of progress lines (`after 0.2s`, `checked in 0.0s`) by `…s`. */
export function normaliseTimings(text: string): string {
  return text.replace(/(after|in) \d+(\.\d)?s|(after|in) \d+m\d+s/g, (m) => `${m.split(' ')[0]} …s`);
}

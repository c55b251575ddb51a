import { colourWanted } from '../render/style.js';

/**
 * What a command may touch of its process: streams, environment, working directory. Commands
 * receive it instead of reaching for `process`, so tests can run them in-process and read what a
 * person would see.
 */
export interface CliIo {
  /** Human text and `--json` documents. */
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  /** Diagnostics: errors, warnings, progress that is not the command's result. */
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Environment variables (secret references `{ env: NAME }` resolve here). */
  env: Record<string, string | undefined>;
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Reads one answer line from the terminal; absent when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
}

/** A command module: parses its own arguments and returns the exit code. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

/** Whether colour may be used on a stream: only on a terminal, and never with NO_COLOR set. */
export function useColour(stream: CliIo['stdout'], env: CliIo['env']): boolean {
  return colourWanted(stream, env);
}

/** The `--state DIR` / `HSMCTL_STATE` / `./state` rule of SPEC §5. */
export function stateDirOf(flag: string | undefined, io: CliIo): string {
  return flag ?? io.env.HSMCTL_STATE ?? 'state';
}

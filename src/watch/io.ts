/**
 * What watch reads and writes of its process: streams, environment, working directory. A
 * command's `CliIo` is one; watch depends on nothing of the command line.
 */
export interface WatchIo {
  /** Passes: headers, plans, apply progress, status lines. */
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  /** Warnings and internal errors. */
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Environment variables (secret references `{ env: NAME }` resolve here). */
  env: Record<string, string | undefined>;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

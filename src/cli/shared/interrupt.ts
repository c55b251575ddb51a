import type { CliIo } from '../io.js';

/**
 * Ctrl-C (or SIGTERM) while an apply runs, handled as Terraform does: the first lets the device
 * operations already running finish and starts no other (`signal` is aborted; the apply's driver
 * refuses what comes next); a second stops at once. Either way the next apply picks up where this
 * one stopped: every device operation is atomic and every action checks the fleet first (a process
 * stopped at once leaves its lock behind, which the next apply takes over with a warning).
 */
export interface Interrupt {
  /** Aborted at the first signal. */
  signal: AbortSignal;
  /** Starts listening (when the actions start). */
  arm(): void;
  /** Stops listening (when the actions are over). */
  disarm(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function applyInterrupt(io: CliIo): Interrupt {
  const stopping = new AbortController();
  let armed = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!stopping.signal.aborted) {
      io.stderr.write(
        `\nInterrupt received (${signal}): the device operations already running finish, and no other starts. ` +
          'Press Ctrl-C again to stop at once.\n',
      );
      stopping.abort();
      return;
    }
    io.stderr.write('Stopping at once: the next apply takes over the lock and picks up where this one stopped.\n');
    disarm();
    process.kill(process.pid, signal);
  };
  const disarm = (): void => {
    if (!armed) return;
    armed = false;
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  return {
    signal: stopping.signal,
    arm() {
      if (armed) return;
      armed = true;
      for (const s of SIGNALS) process.on(s, onSignal);
    },
    disarm,
  };
}

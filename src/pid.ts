import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a live process on this host (EPERM: alive, owned by someone else). A process
 * that has exited but whose parent has not reaped it (a zombie: common in containers whose first
 * process does not reap orphans) still answers a signal, but holds nothing: it counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !hasExited(pid);
}

/** Whether Linux's /proc shows `pid` as exited and not yet reaped; false where there is no /proc. */
function hasExited(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (command) state …": the command may hold spaces and parentheses, the state follows the last ')'.
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state === 'Z' || state === 'X';
}

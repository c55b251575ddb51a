import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { forceUnlock, lockPath, readLock } from '../reconcile/apply/lock.js';
import { isProcessAlive } from '../pid.js';
import type { CliIo } from './io.js';
import { openWorldDir } from './shared/world.js';

const usage = `Usage: hsmctl force-unlock [--force] [--state DIR]

Removes the apply lock of the state directory. Use it only when the holder is gone for sure (a
lock whose holder died on this host is taken over by the next apply anyway). A lock whose holder
still runs on this host is not removed without --force: two applies at once collide.

Options:
  --force       remove the lock even though its holder still runs on this host
  --state DIR   the emulated world (default: $HSMCTL_STATE or ./state)
  -h, --help    this text
`;

/** `hsmctl force-unlock`: removes the lock and says whose it was. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: 'boolean' }, state: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    io.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 0) throw new UserError('usage', 'force-unlock takes no arguments; run "hsmctl force-unlock --help" for usage');
  const stateDir = openWorldDir(values.state, io);
  const holder = readLock(stateDir);
  if (holder !== undefined && holder.host === hostname() && isProcessAlive(holder.pid) && values.force !== true) {
    throw new UserError(
      'lock.alive',
      `the lock is held by a running process: ${holder.holder} (pid ${holder.pid}, operation "${holder.operation}", since ${holder.since}). ` +
        'Stop it first (Ctrl-C lets it finish the device operations it started); to remove the lock anyway, run "hsmctl force-unlock --force"',
    );
  }
  const held = existsSync(lockPath(stateDir));
  const removed = forceUnlock(stateDir);
  io.stdout.write(
    !held
      ? `No lock was held in ${stateDir}.\n`
      : removed === undefined
        ? `Removed an unreadable lock file from ${stateDir}.\n`
        : `Removed the lock of ${removed.holder} (pid ${removed.pid} on ${removed.host}, operation "${removed.operation}", since ${removed.since}).\n`,
  );
  return 0;
}

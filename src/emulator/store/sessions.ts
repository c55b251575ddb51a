import { Session } from './session.js';

/** Sessions by state directory: one per directory per process. */
const sessions = new Map<string, Session>();

/** The session of `root` (absolute), made on first use. */
export function sessionOf(root: string): Session {
  let session = sessions.get(root);
  if (session === undefined) {
    if (sessions.size === 0) process.on('beforeExit', foldAtExit);
    sessions.set(root, (session = new Session(root)));
  }
  return session;
}

/**
 * Folds every log of this process into its documents now. For handing a state directory over to
 * something that reads or edits its files without the store (tests that simulate crashes or hand
 * edits); other processes need not: they replay a log they find.
 */
export async function checkpointStores(): Promise<void> {
  await Promise.all([...sessions.values()].map((session) => session.run(() => session.checkpoint(true))));
}

let exiting = false;

/**
 * At a natural exit, folds every log in, once, where no other process holds the lock (a log left
 * behind is replayed by the next process that opens the directory).
 */
function foldAtExit(): void {
  if (exiting) return;
  exiting = true;
  for (const session of sessions.values()) {
    if (session.hasLog) void session.run(() => session.checkpoint(false)).catch(() => undefined);
  }
}

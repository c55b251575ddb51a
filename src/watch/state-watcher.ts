import { watch } from 'chokidar';
import type { FileWatcher } from './config-watcher.js';
import { classifyStatePath } from './state-files.js';

/**
 * The world side of watch: chokidar on the state directory, reporting only what the emulated
 * world's documents do (see state-files.ts for what is ignored and why), and the removal of the
 * apply lock. Whether a document change was watch's own doing is decided later, by signature.
 */

/** Whom to tell. */
export interface StateWatchOptions {
  /** Absolute state directory; it must exist. */
  stateDir: string;
  /** A document (or a collection folder) was written, added or removed. */
  onDocument: () => void;
  /** The apply lock file was removed. */
  onLockReleased: () => void;
  onError: (err: unknown) => void;
}

export function watchState(options: StateWatchOptions): Omit<FileWatcher, 'add'> {
  const { stateDir } = options;
  const watcher = watch(stateDir, {
    ignoreInitial: true,
    depth: 1,
    ignored: (path: string) => classifyStatePath(stateDir, path) === 'other',
  });
  watcher.on('all', (event, path) => {
    const kind = classifyStatePath(stateDir, path);
    if (kind === 'document' || kind === 'collection') options.onDocument();
    else if (kind === 'apply-lock' && event === 'unlink') options.onLockReleased();
  });
  watcher.on('error', options.onError);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { ready, close: () => watcher.close() };
}

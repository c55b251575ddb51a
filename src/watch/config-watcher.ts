import { basename, isAbsolute, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/**
 * The configuration side of watch: chokidar on the configuration path (a file, or a directory
 * with every file below it, YAML and `{ file }` secrets alike) and on secret files that live
 * outside it. It only reports which file changed; the pass re-reads everything.
 */

/** A running watcher of configuration files. */
export interface FileWatcher {
  /** Resolves once the initial scan is done: changes after it are reported. */
  ready: Promise<void>;
  /** Watches more files (secret files outside the configuration path); already watched ones are ignored. */
  add(paths: readonly string[]): void;
  /** Stops watching. */
  close(): Promise<void>;
}

/** What to watch and whom to tell. */
export interface ConfigWatchOptions {
  /** Absolute configuration path (file or directory). */
  path: string;
  /** Absolute paths of more files to watch from the start (secret files outside `path`). */
  also: readonly string[];
  /** Absolute directories never watched (the state directory when it sits inside the configuration). */
  exclude: readonly string[];
  /** Called with the absolute path of a file that was written, added or removed. */
  onChange: (file: string) => void;
  onError: (err: unknown) => void;
}

/** Whether `path` is `dir` or below it. */
export function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Editor droppings that are not the file being saved: `.x.swp`, `x~`, `x.tmp`, vim's `4913`. */
function isScratch(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/i.test(name) || name === '4913';
}

/** Whether the watcher skips `path`: excluded folders, and below the root hidden and scratch entries and node_modules. */
export function ignoredConfigPath(root: string, exclude: readonly string[], path: string): boolean {
  if (exclude.some((dir) => isWithin(dir, path))) return true;
  if (!isWithin(root, path) || path === root) return false;
  const parts = relative(root, path).split(sep);
  return parts.some((part) => part === 'node_modules' || part.startsWith('.')) || isScratch(basename(path));
}

export function watchConfig(options: ConfigWatchOptions): FileWatcher {
  const outside = options.also.filter((p) => !isWithin(options.path, p));
  const watcher: FSWatcher = watch([options.path, ...outside], {
    ignoreInitial: true,
    ignored: (path: string) => ignoredConfigPath(options.path, options.exclude, path),
  });
  const watched = new Set<string>([options.path, ...outside]);
  watcher.on('all', (event, path) => {
    if (event === 'add' || event === 'change' || event === 'unlink' || event === 'unlinkDir') options.onChange(path);
  });
  watcher.on('error', options.onError);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    add(paths) {
      const fresh = paths.filter((p) => !watched.has(p) && !isWithin(options.path, p));
      for (const p of fresh) watched.add(p);
      if (fresh.length > 0) watcher.add(fresh);
    },
    close: () => watcher.close(),
  };
}

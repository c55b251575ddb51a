import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The outcome of looking for configuration files under a path. */
export type FileListing =
  | { kind: 'files'; files: string[] }
  | { kind: 'missing' }
  | { kind: 'empty' }
  | { kind: 'unreadable'; reason: string };

const YAML_FILE = /\.ya?ml$/i;

/**
 * The configuration files a path names: the file itself, or every `*.yaml` / `*.yml` below a
 * directory, sorted by their path below it (as `find | sort` would), skipping hidden files and
 * folders. Returns absolute paths.
 */
export async function listConfigFiles(absPath: string): Promise<FileListing> {
  let info;
  try {
    info = await stat(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable', reason: code ?? 'error' };
  }
  if (!info.isDirectory()) return { kind: 'files', files: [absPath] };
  const files: string[] = [];
  try {
    await walk(absPath, files);
  } catch (err) {
    return { kind: 'unreadable', reason: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
  const key = (file: string) => relative(absPath, file).split(sep).join('/');
  files.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return files.length === 0 ? { kind: 'empty' } : { kind: 'files', files };
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (YAML_FILE.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(full))))) out.push(full);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

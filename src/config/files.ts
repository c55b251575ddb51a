import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The outcome of looking for configuration files under a path. */
export type FileListing =
  | { kind: 'files'; files: string[] }
  | { kind: 'missing' }
  | { kind: 'empty' }
  /** A single file not named `*.yaml` / `*.yml` (a saved plan, a secret, a log…). */
  | { kind: 'not-yaml' }
  | { kind: 'unreadable'; reason: string };

const YAML_FILE = /\.ya?ml$/i;

/** Whether a directory's listing takes this file as configuration (`*.yaml`, `*.yml`). */
export function isConfigFileName(path: string): boolean {
  return YAML_FILE.test(path);
}

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
  if (!info.isDirectory()) return YAML_FILE.test(absPath) ? { kind: 'files', files: [absPath] } : { kind: 'not-yaml' };
  const files: string[] = [];
  try {
    await walk(absPath, files);
  } catch (err) {
    return { kind: 'unreadable', reason: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
  const keyed = files.map((file) => ({ file, key: relative(absPath, file).split(sep).join('/') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return files.length === 0 ? { kind: 'empty' } : { kind: 'files', files: keyed.map((k) => k.file) };
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

/** A configuration file's text, or the error code that kept it from being read. */
export type FileText = { file: string; ok: true; text: string } | { file: string; ok: false; code: string };

/** Reads kept in flight ahead of the file being handed out. */
const READ_AHEAD = 8;

/**
 * Reads files as UTF-8 text and yields them in the order given, keeping a few reads in flight so
 * the disk works while the caller parses the file before. Never throws for a file that cannot be
 * read: it yields its error code.
 */
export async function* readTexts(files: readonly string[]): AsyncGenerator<FileText> {
  const reads: Promise<FileText>[] = [];
  const start = (i: number) => {
    const file = files[i];
    if (file !== undefined) reads[i] = readText(file);
  };
  for (let i = 0; i < READ_AHEAD; i++) start(i);
  for (let i = 0; i < files.length; i++) {
    const read = await reads[i];
    start(i + READ_AHEAD);
    if (read !== undefined) yield read;
  }
}

async function readText(file: string): Promise<FileText> {
  try {
    return { file, ok: true, text: await readFile(file, 'utf8') };
  } catch (err) {
    return { file, ok: false, code: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
}

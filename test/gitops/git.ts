import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A throwaway git repository for provenance tests, with an identity of its own. */

const IDENTITY = ['-c', 'user.name=hsmctl test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false'];

/** Runs git in `dir` and returns its trimmed output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** `git init` in `dir`. */
export function gitInit(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
}

/** Stages everything and commits; returns the new HEAD. */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** Writes a file relative to `dir`. */
export async function write(dir: string, file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text);
}

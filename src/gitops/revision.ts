import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

/**
 * Which git revision a configuration comes from. hsmctl never requires git: a path outside a work
 * tree, a repository without commits, or no `git` on the PATH all simply give no revision.
 */

/** The git revision a configuration path is at. */
export interface Revision {
  /** Full SHA-1 (or SHA-256) of HEAD of the work tree holding the path. */
  commit: string;
  /** True when the path has uncommitted changes (modified, staged, deleted or untracked files). */
  dirty: boolean;
}

/** How long one git command may take before the revision is given up as unknown. */
export const GIT_TIMEOUT_MS = 3000;

/** Runs git in `cwd`; undefined on any failure (no git, not a repository, timeout). */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(
      'git',
      args,
      // Read-only: never take the index lock (status would refresh the index otherwise).
      { cwd, timeout: GIT_TIMEOUT_MS, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, windowsHide: true },
      (err, stdout) => done(err === null ? stdout : undefined),
    );
  });
}

/**
 * HEAD of the git work tree holding `configPath` (a file or a directory, resolved against the
 * process's working directory), and whether that path is dirty; undefined when there is none.
 */
export async function currentRevision(configPath: string): Promise<Revision | undefined> {
  const abs = resolve(configPath);
  let isDir: boolean;
  try {
    isDir = (await stat(abs)).isDirectory();
  } catch {
    return undefined;
  }
  const cwd = isDir ? abs : dirname(abs);
  const head = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  const commit = head?.trim();
  if (commit === undefined || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) return undefined;
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=all', '--', isDir ? '.' : basename(abs)]);
  if (status === undefined) return undefined;
  return { commit, dirty: status.trim() !== '' };
}

/** The 7-character abbreviation people read (`git log --oneline`). */
export function shortSha(commit: string): string {
  return commit.slice(0, 7);
}

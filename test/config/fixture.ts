import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../helpers/io.js';

/**
 * A valid two-HSM, one-HAPG, one-client configuration; cases edit it line by line, so its line
 * numbers are the ones the expectations cite.
 */
export const BASE = `hsms:
  - name: hsm-a
    availabilityZone: us-east-1a
    cloningDomain: { env: CLONING_DOMAIN }
    soPassword: { env: SO_PASSWORD }
  - name: hsm-b
    availabilityZone: us-east-1b
    cloningDomain: { env: CLONING_DOMAIN }
    soPassword: { env: SO_PASSWORD }
hapgs:
  - label: hapg1
    members: [hsm-a, hsm-b]
    partitionPassword: { env: PARTITION_PASSWORD }
clients:
  - name: app-1
    hapgs: [hapg1]
autoRecovery:
  enabled: true
  retry: -1
  interval: 60
`;

/** The values BASE's references resolve to: tests assert none of them is ever printed. */
export const BASE_ENV: Record<string, string> = {
  CLONING_DOMAIN: 'zq-cloning-domain-value-1',
  SO_PASSWORD: 'zq-so-password-value-2',
  PARTITION_PASSWORD: 'zq-partition-password-value-3',
};

/** `text` with its one occurrence of `from` replaced; fails loudly when `from` is absent. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

/** The lines of `text` with line `n` (1-based) replaced by `lines`. */
export function replaceLine(text: string, n: number, ...lines: string[]): string {
  const all = text.split('\n');
  all.splice(n - 1, 1, ...lines);
  return all.join('\n');
}

/** Makes temp directories of configuration files, removed after the test file. */
export function configDirs() {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async (files: Record<string, string>): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'hsmctl-config-'));
    made.push(dir);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return dir;
  };
}

/** Runs `hsmctl validate` in-process with `dir` as the working directory. */
export async function validate(dir: string, env: Record<string, string | undefined> = BASE_ENV, extra: string[] = []) {
  const io = captureIo({ env, cwd: dir });
  const code = await runCli(['validate', dir, ...extra], io);
  return { code, out: io.out(), err: io.err() };
}

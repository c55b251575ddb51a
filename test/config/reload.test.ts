import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { REMEMBERED_ROOTS, clearCheckedFiles, parsedFileCount } from '../../src/config/cache.js';
import { Secret, formatDiagnostic, loadConfig } from '../../src/config/index.js';
import type { LoadResult } from '../../src/config/index.js';
import { BASE, BASE_ENV, configDirs, edit } from './fixture.js';

const makeDir = configDirs();

/** BASE split over three files, so that one can change while the others stay as they were. */
const HSMS = BASE.slice(0, BASE.indexOf('hapgs:'));
const HAPGS = BASE.slice(BASE.indexOf('hapgs:'), BASE.indexOf('clients:'));
const CLIENTS = BASE.slice(BASE.indexOf('clients:'));
const SPLIT = { 'hsms.yaml': HSMS, 'hapgs.yaml': HAPGS, 'clients.yaml': CLIENTS };

const load = (dir: string, env: Record<string, string | undefined> = BASE_ENV, cwd = dir) => loadConfig(dir, { env, cwd });

/** Loads and returns how many files that load parsed. */
async function counted(dir: string, env: Record<string, string | undefined> = BASE_ENV, cwd = dir): Promise<{ result: LoadResult; parsed: number }> {
  const before = parsedFileCount();
  const result = await load(dir, env, cwd);
  return { result, parsed: parsedFileCount() - before };
}

/** A result as comparable data, secret values included (never printed: only compared). */
function comparable(result: LoadResult): unknown {
  return JSON.parse(
    JSON.stringify(result, function (this: Record<string, unknown>, key: string, value: unknown) {
      const original = this[key];
      return original instanceof Secret ? { ref: original.ref, value: original.reveal() } : value;
    }),
  ) as unknown;
}

const lines = (result: LoadResult) => result.diagnostics.map(formatDiagnostic);

beforeEach(() => clearCheckedFiles());

describe('re-loading a configuration', () => {
  it('parses only the files whose text changed, and gives what a fresh load gives', async () => {
    const dir = await makeDir(SPLIT);
    const first = await counted(dir);
    expect(first.parsed).toBe(3);
    expect(first.result.diagnostics).toEqual([]);

    const again = await counted(dir);
    expect(again.parsed).toBe(0);
    expect(comparable(again.result)).toEqual(comparable(first.result));

    await writeFile(join(dir, 'clients.yaml'), edit(CLIENTS, 'retry: -1', 'retry: 7'));
    const changed = await counted(dir);
    expect(changed.parsed).toBe(1);
    expect(changed.result.fleet!.autoRecovery).toEqual({ enabled: true, retry: 7, interval: 60 });
    expect(changed.result.fleet!.clients[0]!.autoRecovery.retry).toBe(7);

    // Writing the same text again (a save without a change) is no change.
    await writeFile(join(dir, 'clients.yaml'), edit(CLIENTS, 'retry: -1', 'retry: 7'));
    expect((await counted(dir)).parsed).toBe(0);
  });

  it('locates an error an edit introduces after a good load, and drops it once fixed', async () => {
    const dir = await makeDir(SPLIT);
    expect((await load(dir)).diagnostics).toEqual([]);

    // One line added above moves everything down: positions must come from the new text.
    await writeFile(join(dir, 'hapgs.yaml'), `# moved down\n${edit(HAPGS, '[hsm-a, hsm-b]', '[hsm-a, hsm-z]')}`);
    const broken = await counted(dir);
    expect(broken.parsed).toBe(1);
    expect(broken.result.fleet).toBeUndefined();
    expect(lines(broken.result)).toEqual(['hapgs.yaml:4:22 error hapgs[0].members[1]: unknown HSM "hsm-z" (did you mean "hsm-a"?)']);

    await writeFile(join(dir, 'clients.yaml'), edit(CLIENTS, 'interval: 60', 'interval: 5'));
    const twoBroken = await counted(dir);
    expect(twoBroken.parsed).toBe(1);
    expect(twoBroken.result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.path}`)).toEqual([
      'clients.yaml:7:13 autoRecovery.interval',
      'hapgs.yaml:4:22 hapgs[0].members[1]',
    ]);

    await writeFile(join(dir, 'hapgs.yaml'), HAPGS);
    await writeFile(join(dir, 'clients.yaml'), CLIENTS);
    const fixed = await counted(dir);
    expect(fixed.parsed).toBe(2);
    expect(fixed.result.diagnostics).toEqual([]);
    expect(fixed.result.fleet!.hapgs[0]!.members).toEqual(['hsm-a', 'hsm-b']);
    expect(fixed.result.fleet!.hapgs[0]!.source).toEqual({ file: 'hapgs.yaml', line: 2, col: 5, path: 'hapgs[0]' });
  });

  it('forgets a deleted or renamed file', async () => {
    const dir = await makeDir(SPLIT);
    expect((await load(dir)).diagnostics).toEqual([]);

    await unlink(join(dir, 'hapgs.yaml'));
    const deleted = await counted(dir);
    expect(deleted.parsed).toBe(0);
    expect(deleted.result.fleet).toBeUndefined();
    expect(lines(deleted.result)).toEqual(['clients.yaml:3:13 error clients[0].hapgs[0]: unknown HAPG "hapg1"']);

    // Its entry went with it: the same text back under the same name is parsed again.
    await writeFile(join(dir, 'hapgs.yaml'), HAPGS);
    expect((await counted(dir)).parsed).toBe(1);

    await mkdir(join(dir, 'groups'));
    await rename(join(dir, 'hapgs.yaml'), join(dir, 'groups', 'main.yaml'));
    const renamed = await counted(dir);
    expect(renamed.parsed).toBe(1);
    expect(renamed.result.diagnostics).toEqual([]);
    expect(renamed.result.fleet!.files).toEqual(['clients.yaml', 'groups/main.yaml', 'hsms.yaml'].map((f) => join(dir, f)));
    expect(renamed.result.fleet!.hapgs[0]!.source.file).toBe(join('groups', 'main.yaml'));
  });

  it('resolves secrets again on every load, though no YAML changed', async () => {
    const withFile = HSMS.replaceAll('{ env: CLONING_DOMAIN }', '{ file: domain.txt }');
    const dir = await makeDir({ ...SPLIT, 'hsms.yaml': withFile, 'domain.txt': 'zq-domain-one\n' });
    const first = await counted(dir);
    expect(first.result.fleet!.hsms[0]!.cloningDomain.reveal()).toBe('zq-domain-one');
    expect(first.result.fleet!.hsms[1]!.cloningDomain.reveal()).toBe('zq-domain-one');

    await writeFile(join(dir, 'domain.txt'), 'zq-domain-two\n');
    const newFile = await counted(dir);
    expect(newFile.parsed).toBe(0);
    expect(newFile.result.fleet!.hsms.map((h) => h.cloningDomain.reveal())).toEqual(['zq-domain-two', 'zq-domain-two']);

    const newEnv = await counted(dir, { ...BASE_ENV, SO_PASSWORD: 'zq-so-two' });
    expect(newEnv.parsed).toBe(0);
    expect(newEnv.result.fleet!.hsms.map((h) => h.soPassword.reveal())).toEqual(['zq-so-two', 'zq-so-two']);

    const unset = await counted(dir, { ...BASE_ENV, SO_PASSWORD: undefined });
    expect(unset.parsed).toBe(0);
    expect(lines(unset.result)).toEqual([
      'hsms.yaml:5:24 error hsms[0].soPassword.env: environment variable SO_PASSWORD is not set',
      'hsms.yaml:9:24 error hsms[1].soPassword.env: environment variable SO_PASSWORD is not set',
    ]);

    await unlink(join(dir, 'domain.txt'));
    const noFile = await counted(dir);
    expect(noFile.parsed).toBe(0);
    expect(lines(noFile.result)).toEqual([
      'hsms.yaml:4:28 error hsms[0].cloningDomain.file: secret file domain.txt not found',
      'hsms.yaml:8:28 error hsms[1].cloningDomain.file: secret file domain.txt not found',
    ]);
  });

  it('hands out fresh results: changing one does not change the next load', async () => {
    const dir = await makeDir({ ...SPLIT, 'clients.yaml': edit(CLIENTS, 'hapgs: [hapg1]', 'hapgs: [hapg1, other]') });
    const first = await load(dir);
    const d = first.diagnostics[0]!;
    d.message = 'changed';
    d.line = 99;
    const second = await counted(dir);
    expect(second.parsed).toBe(0);
    expect(lines(second.result)).toEqual(['clients.yaml:3:20 error clients[0].hapgs[1]: unknown HAPG "other"']);

    await writeFile(join(dir, 'clients.yaml'), CLIENTS);
    const good = await load(dir);
    good.fleet!.hapgs[0]!.members.push('hsm-c');
    good.fleet!.clients[0]!.autoRecovery.retry = 3;
    good.fleet!.hsms.pop();
    const again = await load(dir);
    expect(again.fleet!.hapgs[0]!.members).toEqual(['hsm-a', 'hsm-b']);
    expect(again.fleet!.clients[0]!.autoRecovery.retry).toBe(-1);
    expect(again.fleet!.hsms).toHaveLength(2);
  });

  it('shows paths relative to the working directory of each load', async () => {
    const dir = await makeDir({ 'conf/fleet.yaml': edit(BASE, 'hapgs: [hapg1]', 'hapgs: [other]') });
    const fromDir = await counted(join(dir, 'conf'), BASE_ENV, dir);
    expect(lines(fromDir.result)).toEqual(['conf/fleet.yaml:16:13 error clients[0].hapgs[0]: unknown HAPG "other"']);
    const fromConf = await counted(join(dir, 'conf'), BASE_ENV, join(dir, 'conf'));
    expect(lines(fromConf.result)).toEqual(['fleet.yaml:16:13 error clients[0].hapgs[0]: unknown HAPG "other"']);
    expect(fromConf.parsed).toBe(1);
  });

  it(`remembers the files of at most ${REMEMBERED_ROOTS} configurations`, async () => {
    const dirs = await Promise.all(Array.from({ length: REMEMBERED_ROOTS + 1 }, () => makeDir({ 'fleet.yaml': BASE })));
    for (const dir of dirs.slice(0, REMEMBERED_ROOTS)) await load(dir);
    expect((await counted(dirs[0]!)).parsed).toBe(0);
    // The first root was just used, so the one more root pushes out the second.
    await load(dirs[REMEMBERED_ROOTS]!);
    expect((await counted(dirs[0]!)).parsed).toBe(0);
    expect((await counted(dirs[1]!)).parsed).toBe(1);
  });
});

describe('re-loading after random edits', () => {
  it('always gives what a load from scratch gives', async () => {
    const dir = await makeDir(SPLIT);
    const names = Object.keys(SPLIT) as (keyof typeof SPLIT)[];
    const versions: [keyof typeof SPLIT, string | null][] = [
      ['hsms.yaml', HSMS],
      ['hsms.yaml', edit(HSMS, 'us-east-1b', 'us-east-1a')],
      ['hsms.yaml', `# header\n${HSMS}`],
      ['hsms.yaml', edit(HSMS, 'name: hsm-b', 'name: hsm-a')],
      ['hsms.yaml', edit(HSMS, '{ env: SO_PASSWORD }', '{ env: NOT_SET }')],
      ['hapgs.yaml', HAPGS],
      ['hapgs.yaml', edit(HAPGS, '[hsm-a, hsm-b]', '[hsm-a]')],
      ['hapgs.yaml', edit(HAPGS, '[hsm-a, hsm-b]', '[hsm-a, hsm-b')],
      ['hapgs.yaml', edit(HAPGS, 'label: hapg1', 'lable: hapg1')],
      ['clients.yaml', CLIENTS],
      ['clients.yaml', edit(CLIENTS, 'retry: -1', 'retry: 9000')],
      ['clients.yaml', edit(CLIENTS, 'hapgs: [hapg1]', 'hapgs: [hapg1, hapg1]')],
      ['clients.yaml', ''],
      ['clients.yaml', null],
    ];
    const edits = fc.constantFrom(...versions);
    await fc.assert(
      fc.asyncProperty(fc.array(edits, { minLength: 1, maxLength: 6 }), async (steps) => {
        clearCheckedFiles();
        for (const name of names) await writeFile(join(dir, name), SPLIT[name]);
        await load(dir);
        for (const [name, text] of steps) {
          if (text === null) await rm(join(dir, name), { force: true });
          else await writeFile(join(dir, name), text);
          const reused = await load(dir);
          clearCheckedFiles();
          const fresh = await load(dir);
          expect(comparable(reused)).toEqual(comparable(fresh));
        }
      }),
      { numRuns: 60 },
    );
  });
});

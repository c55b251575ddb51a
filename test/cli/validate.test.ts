import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { BASE, BASE_ENV, configDirs, replaceLine, validate } from '../config/fixture.js';
import { captureIo } from '../helpers/io.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const makeDir = configDirs();

describe('hsmctl validate', () => {
  it('prints usage with --help', async () => {
    const io = captureIo();
    expect(await runCli(['validate', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: hsmctl validate \[PATH\] \[--json\]/);
  });

  it('validates the working directory when no PATH is given', async () => {
    const dir = await makeDir({ 'fleet.yaml': BASE });
    const io = captureIo({ cwd: dir, env: BASE_ENV });
    expect(await runCli(['validate'], io)).toBe(0);
    expect(io.out()).toBe('Configuration is valid: 2 HSMs, 1 HAPG, 1 client.\n');
  });

  it('takes a single file as configuration only when it is named *.yaml or *.yml, as every command does', async () => {
    const dir = await makeDir({ 'fleet.conf': BASE });
    const io = captureIo({ cwd: dir, env: BASE_ENV });
    expect(await runCli(['validate', 'fleet.conf'], io)).toBe(1);
    expect(io.out() + io.err()).toContain('fleet.conf error: not a configuration file: a configuration file is named *.yaml or *.yml');
  });

  it('resolves a relative PATH against its working directory, not the process', async () => {
    const dir = await makeDir({ 'conf/fleet.yaml': replaceLine(BASE, 20, '  interval: 5') });
    const io = captureIo({ cwd: dir, env: BASE_ENV });
    expect(await runCli(['validate', 'conf'], io)).toBe(1);
    expect(io.out()).toBe(
      'conf/fleet.yaml:20:13 error autoRecovery.interval: must be an integer between 60 and 1200\nConfiguration is invalid: 1 error.\n',
    );
  });

  it('reports a path that does not exist in one line, without a stack trace', async () => {
    const dir = await makeDir({});
    const { code, out, err } = await validate(dir, {}, []).then(async () => {
      const io = captureIo({ cwd: dir });
      return { code: await runCli(['validate', 'no/such/dir'], io), out: io.out(), err: io.err() };
    });
    expect(code).toBe(1);
    expect(out).toBe('no/such/dir error: no such file or directory\nConfiguration is invalid: 1 error.\n');
    expect(err).toBe('');
  });

  it.each([
    { args: ['--bogus'], message: /Unknown option '--bogus'/ },
    { args: ['a', 'b'], message: /^Error: validate takes one PATH at most/ },
  ])('refuses bad arguments $args with exit 1', async ({ args, message }) => {
    const io = captureIo();
    expect(await runCli(['validate', ...args], io)).toBe(1);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  it('counts warnings in the summary of a valid configuration', async () => {
    const { code, out } = await validate(await makeDir({ 'fleet.yaml': replaceLine(BASE, 7, '    availabilityZone: us-east-1a') }));
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n').at(-1)).toBe('Configuration is valid: 2 HSMs, 1 HAPG, 1 client (1 warning).');
  });

  it('prints one JSON document with --json', async () => {
    const valid = await validate(await makeDir({ 'fleet.yaml': BASE }), BASE_ENV, ['--json']);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.out)).toEqual({
      formatVersion: 1,
      valid: true,
      summary: { errors: 0, warnings: 0, hsms: 2, hapgs: 1, clients: 1 },
      diagnostics: [],
    });
    const invalid = await validate(await makeDir({ 'fleet.yaml': replaceLine(BASE, 16, '    hapgs: [hapg2]') }), BASE_ENV, ['--json']);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.out)).toEqual({
      formatVersion: 1,
      valid: false,
      summary: { errors: 1, warnings: 0, hsms: null, hapgs: null, clients: null },
      diagnostics: [
        { severity: 'error', file: 'fleet.yaml', line: 16, col: 13, path: 'clients[0].hapgs[0]', message: 'unknown HAPG "hapg2" (did you mean "hapg1"?)', suggestion: 'hapg1' },
      ],
    });
  });

  it('colours severities on a terminal only, and never with NO_COLOR', async () => {
    const dir = await makeDir({ 'fleet.yaml': replaceLine(BASE, 16, '    hapgs: [hapg2]') });
    const tty = captureIo({ cwd: dir, env: BASE_ENV });
    tty.stdout.isTTY = true;
    await runCli(['validate', dir], tty);
    expect(tty.out()).toContain('\x1b[31merror\x1b[0m');
    const noColour = captureIo({ cwd: dir, env: { ...BASE_ENV, NO_COLOR: '1' } });
    noColour.stdout.isTTY = true;
    await runCli(['validate', dir], noColour);
    expect(noColour.out()).not.toContain('\x1b[');
  });
});

describe('hsmctl validate never prints a secret', () => {
  const values = {
    SECRET_DOMAIN_1: 'zq-leak-domain-one',
    SECRET_DOMAIN_2: 'zq-leak-domain-two',
    SECRET_SO: 'zq-leak-so-password',
    SECRET_PARTITION: 'zq-leak-partition',
  };
  const fileValue = 'zq-leak-file-secret';
  const literals = ['zq-leak-literal', 'zq-leak-as-key', 'zq-leak-in-list', 'zq-leak-unterminated', 'zq-leak-twice'];
  const hsm = (name: string, domain: string, so: string) =>
    `  - name: ${name}\n    availabilityZone: us-east-1a\n    cloningDomain: ${domain}\n    soPassword: ${so}\n`;
  const configs: Record<string, Record<string, string>> = {
    'valid, with warnings': {
      'fleet.yaml': `hsms:\n${hsm('hsm-a', '{ env: SECRET_DOMAIN_1 }', '{ env: SECRET_SO }')}${hsm('hsm-b', '{ file: d.txt }', '{ env: SECRET_SO }')}` +
        'hapgs:\n  - { label: g, members: [hsm-a, hsm-b], partitionPassword: { env: SECRET_PARTITION } }\n',
      'd.txt': `${values.SECRET_DOMAIN_1}\n`,
    },
    'cloning domains differ': {
      'fleet.yaml': `hsms:\n${hsm('hsm-a', '{ env: SECRET_DOMAIN_1 }', '{ env: SECRET_SO }')}${hsm('hsm-b', '{ env: SECRET_DOMAIN_2 }', '{ file: so.txt }')}` +
        'hapgs:\n  - { label: g, members: [hsm-a, hsm-b], partitionPassword: { env: SECRET_PARTITION } }\n',
      'so.txt': fileValue,
    },
    'literal secrets and broken references': {
      'fleet.yaml': `hsms:\n${hsm('hsm-a', literals[0]!, `{ ${literals[1]} }`)}${hsm('hsm-b', `[${literals[2]}]`, '{ env: SECRET_SO, file: so.txt }')}` +
        `${hsm('hsm-c', '{ env: SECRET_DOMAIN_2 }', '{ env: UNSET_ONE }')}`,
      'so.txt': fileValue,
    },
    'a secret pasted twice as a key': {
      'fleet.yaml': `hsms:\n${hsm('hsm-a', `{ ${literals[4]}, ${literals[4]} }`, '{ env: SECRET_SO }')}`,
    },
    'syntax error on a secret line': {
      'fleet.yaml': `hsms:\n${hsm('hsm-a', `"${literals[3]}`, '{ env: SECRET_SO }')}`,
    },
  };
  const secrets = [...Object.values(values), fileValue, ...literals];

  it.each(Object.keys(configs))('%s (text and --json)', async (name) => {
    const dir = await makeDir(configs[name]!);
    for (const extra of [[], ['--json']]) {
      const { out, err } = await validate(dir, values, extra);
      expect(out.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(out).not.toContain(secret);
        expect(err).not.toContain(secret);
      }
    }
  });

  it('really exercises the messages that sit next to secrets', async () => {
    const mismatch = await validate(await makeDir(configs['cloning domains differ']!), values);
    expect(mismatch.out).toContain("hsm-b's cloning domain differs from hsm-a's");
    const broken = await validate(await makeDir(configs['literal secrets and broken references']!), values);
    expect(broken.out).toContain('secrets must be references');
    expect(broken.out).toContain('a secret reference has one key, env or file');
    expect(broken.out).toContain('environment variable UNSET_ONE is not set');
    const twice = await validate(await makeDir(configs['a secret pasted twice as a key']!), values);
    expect(twice.out).toContain('error: duplicate key in the same mapping');
  });
});

describe('the built CLI', () => {
  beforeAll(async () => {
    // `npm test` builds first; build here only when run on a fresh checkout.
    if (!existsSync(`${root}dist/cli/validate.js`)) await exec('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root }).catch(() => undefined);
  }, 120_000);

  it('validates the quickstart example with exit 0', async () => {
    const { stdout, stderr } = await exec(process.execPath, ['bin/hsmctl.js', 'validate', 'examples/quickstart'], { cwd: root, env: {} });
    expect(stdout).toBe('Configuration is valid: 2 HSMs, 1 HAPG, 1 client.\n');
    expect(stderr).toBe('');
  });

  it('exits 1 on an invalid configuration', async () => {
    const dir = await makeDir({ 'fleet.yaml': 'hsms: 3\n' });
    const failure = await exec(process.execPath, [`${root}bin/hsmctl.js`, 'validate', '.'], { cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1, stdout: 'fleet.yaml:1:7 error hsms: must be a list\nConfiguration is invalid: 1 error.\n' });
  });
});

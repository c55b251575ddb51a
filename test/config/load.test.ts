import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Secret, loadConfig } from '../../src/config/index.js';
import { BASE, BASE_ENV, configDirs, edit, replaceLine } from './fixture.js';

const makeDir = configDirs();
const load = (dir: string, env: Record<string, string | undefined> = BASE_ENV, path = '.') => loadConfig(path, { env, cwd: dir });

describe('loadConfig builds the desired fleet', () => {
  it('fills defaults, resolves secrets and records where each item was declared', async () => {
    const dir = await makeDir({ 'fleet.yaml': BASE });
    const { fleet, diagnostics } = await load(dir);
    expect(diagnostics).toEqual([]);
    expect(fleet).toBeDefined();
    const [a, b] = fleet!.hsms;
    expect(a).toMatchObject({ name: 'hsm-a', label: 'hsm-a', availabilityZone: 'us-east-1a', protect: false });
    expect(a!.subnetId).toBeUndefined();
    expect(a!.sshPublicKey).toBeUndefined();
    expect(a!.cloningDomain).toBeInstanceOf(Secret);
    expect(a!.cloningDomain.reveal()).toBe(BASE_ENV.CLONING_DOMAIN);
    expect(a!.cloningDomain.ref).toEqual({ env: 'CLONING_DOMAIN' });
    expect(b!.soPassword.reveal()).toBe(BASE_ENV.SO_PASSWORD);
    expect(a!.source).toEqual({ file: 'fleet.yaml', line: 2, col: 5, path: 'hsms[0]' });
    expect(fleet!.hapgs).toEqual([
      expect.objectContaining({ label: 'hapg1', members: ['hsm-a', 'hsm-b'], source: { file: 'fleet.yaml', line: 11, col: 5, path: 'hapgs[0]' } }),
    ]);
    expect(fleet!.hapgs[0]!.partitionPassword.reveal()).toBe(BASE_ENV.PARTITION_PASSWORD);
    expect(fleet!.clients).toEqual([
      { name: 'app-1', hapgs: ['hapg1'], autoRecovery: { enabled: true, retry: -1, interval: 60 }, source: { file: 'fleet.yaml', line: 15, col: 5, path: 'clients[0]' } },
    ]);
    expect(fleet!.autoRecovery).toEqual({ enabled: true, retry: -1, interval: 60 });
    expect(fleet!.files).toEqual([join(dir, 'fleet.yaml')]);
  });

  it('keeps optional HSM fields and reads file secrets relative to the YAML file, dropping one newline', async () => {
    const hsm = [
      'hsms:',
      '  - name: hsm-a',
      '    availabilityZone: us-east-1a',
      '    subnetId: subnet-0a1b2c3d',
      '    label: prod-a',
      '    cloningDomain: { file: ../secrets/domain.txt }',
      '    soPassword: { file: ../secrets/so.txt }',
      '    sshPublicKey: { file: ../secrets/key.pub }',
      '    syslogIp: 10.0.1.10',
      '    protect: true',
      '',
    ].join('\n');
    const dir = await makeDir({
      'conf/hsm.yaml': hsm,
      'secrets/domain.txt': 'zq-domain\n\n',
      'secrets/so.txt': 'zq-so\r\n',
      'secrets/key.pub': 'ssh-ed25519 AAAA zq',
    });
    const { fleet, diagnostics } = await load(dir, {}, 'conf');
    expect(diagnostics).toEqual([]);
    const a = fleet!.hsms[0]!;
    expect(a).toMatchObject({ label: 'prod-a', subnetId: 'subnet-0a1b2c3d', syslogIp: '10.0.1.10', protect: true });
    expect(a.cloningDomain.reveal()).toBe('zq-domain\n');
    expect(a.soPassword.reveal()).toBe('zq-so');
    expect(a.sshPublicKey?.reveal()).toBe('ssh-ed25519 AAAA zq');
    expect(a.source.file).toBe(join('conf', 'hsm.yaml'));
    expect(fleet!.autoRecovery).toBeUndefined();
  });

  it.each([
    { name: 'no policy anywhere', global: '', override: '', expected: { enabled: false, retry: 0, interval: 60 } },
    { name: 'global policy only', global: 'autoRecovery: { retry: 5, interval: 90 }\n', override: '', expected: { enabled: true, retry: 5, interval: 90 } },
    { name: 'override of one field', global: 'autoRecovery: { retry: 5, interval: 90 }\n', override: '{ interval: 300 }', expected: { enabled: true, retry: 5, interval: 300 } },
    { name: 'override turning it off', global: 'autoRecovery: { enabled: true }\n', override: '{ enabled: false }', expected: { enabled: false, retry: -1, interval: 60 } },
    { name: 'override without a global policy', global: '', override: '{ retry: 3 }', expected: { enabled: true, retry: 3, interval: 60 } },
    { name: 'global policy switched off', global: 'autoRecovery: { enabled: false, retry: 7 }\n', override: '', expected: { enabled: false, retry: 7, interval: 60 } },
  ])('gives each client its effective autoRecovery policy: $name', async ({ global, override, expected }) => {
    let text = BASE.split('autoRecovery:')[0]! + global;
    if (override !== '') text = edit(text, '    hapgs: [hapg1]\n', `    hapgs: [hapg1]\n    autoRecovery: ${override}\n`);
    const { fleet, diagnostics } = await load(await makeDir({ 'fleet.yaml': text }));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(fleet!.clients[0]!.autoRecovery).toEqual(expected);
  });

  it('accepts one cloning domain behind two different references', async () => {
    const text = replaceLine(BASE, 8, '    cloningDomain: { env: SAME_DOMAIN }');
    const { fleet, diagnostics } = await load(await makeDir({ 'fleet.yaml': text }), { ...BASE_ENV, SAME_DOMAIN: BASE_ENV.CLONING_DOMAIN! });
    expect(diagnostics).toEqual([]);
    expect(fleet!.hsms[1]!.cloningDomain.ref).toEqual({ env: 'SAME_DOMAIN' });
  });

  it('treats an empty file as declaring nothing', async () => {
    const { fleet, diagnostics } = await load(await makeDir({ 'fleet.yaml': '# nothing yet\n' }));
    expect(diagnostics).toEqual([]);
    expect(fleet).toMatchObject({ hsms: [], hapgs: [], clients: [], autoRecovery: undefined });
  });
});

describe('loadConfig reads directories', () => {
  it('reads *.yaml and *.yml recursively in sorted order, skipping hidden entries and other files', async () => {
    const hsm = (name: string, zone: string) =>
      `hsms:\n  - { name: ${name}, availabilityZone: ${zone}, cloningDomain: { env: CLONING_DOMAIN }, soPassword: { env: SO_PASSWORD } }\n`;
    const dir = await makeDir({
      'b.yml': hsm('hsm-b', 'us-east-1b'),
      'a.yaml': hsm('hsm-a', 'us-east-1a'),
      'a/z.yaml': hsm('hsm-az', 'us-east-1c'),
      'c/d/e.YAML': hsm('hsm-e', 'us-east-1a'),
      '.hidden.yaml': 'this: is not read\n',
      '.git/config.yaml': 'nor: this\n',
      'notes.txt': 'not: yaml\n',
      'c/.draft/x.yaml': 'broken: [\n',
    });
    const { fleet, diagnostics } = await load(dir);
    expect(diagnostics).toEqual([]);
    expect(fleet!.hsms.map((h) => h.name)).toEqual(['hsm-a', 'hsm-az', 'hsm-b', 'hsm-e']);
    expect(fleet!.files).toEqual(['a.yaml', 'a/z.yaml', 'b.yml', 'c/d/e.YAML'].map((f) => join(dir, f)));
  });

  it('reads a single file given by path, and only it', async () => {
    const dir = await makeDir({ 'fleet.yml': BASE, 'other.yaml': 'hsms: 3\n' });
    const { fleet, diagnostics } = await load(dir, BASE_ENV, 'fleet.yml');
    expect(diagnostics).toEqual([]);
    expect(fleet!.hsms).toHaveLength(2);
  });

  it('takes a single file only when it is named *.yaml or *.yml (apply reads any other file as a saved plan)', async () => {
    const dir = await makeDir({ 'fleet.conf': BASE });
    expect(await load(dir, BASE_ENV, 'fleet.conf')).toEqual({
      diagnostics: [
        { severity: 'error', file: 'fleet.conf', line: 0, col: 0, path: '', message: 'not a configuration file: a configuration file is named *.yaml or *.yml' },
      ],
    });
  });

  it('reports a path that does not exist as one error', async () => {
    const dir = await makeDir({});
    expect(await load(dir, {}, 'nowhere')).toEqual({
      diagnostics: [{ severity: 'error', file: 'nowhere', line: 0, col: 0, path: '', message: 'no such file or directory' }],
    });
  });

  it('reports a directory without configuration files', async () => {
    const dir = await makeDir({ 'README.md': '# nothing\n' });
    const { fleet, diagnostics } = await load(dir);
    expect(fleet).toBeUndefined();
    expect(diagnostics.map((d) => d.message)).toEqual(['no configuration files (*.yaml, *.yml) in this directory']);
  });

  it('does not report references into a file it could not parse', async () => {
    const dir = await makeDir({
      'a.yaml': BASE,
      'b.yaml': 'hsms:\n  - name: hsm-c\n    availabilityZone: [us-east-1c\n',
      'c.yaml': 'hapgs:\n  - label: hapg2\n    members: [hsm-c]\n    partitionPassword: { env: PARTITION_PASSWORD }\n',
    });
    const { diagnostics } = await load(dir);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'b.yaml', severity: 'error', path: '' });
    expect(diagnostics[0]!.message).toMatch(/^YAML syntax: /);
  });

  it('orders diagnostics by file, then line, then column', async () => {
    const dir = await makeDir({
      'a.yaml': replaceLine(replaceLine(BASE, 20, '  interval: 5'), 3, '    availabilityZone: x'),
      'b.yaml': 'clients:\n  - name: app-1\n    hapgs: [nope]\n',
    });
    const { diagnostics } = await load(dir);
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual(['a.yaml:3:23', 'a.yaml:20:13', 'b.yaml:2:11', 'b.yaml:3:13']);
  });

  it('reports two HSMs sharing a name once, not again as a shared label', async () => {
    const text = `${BASE.split('hapgs:')[0]}  - name: hsm-a\n    availabilityZone: us-east-1c\n    cloningDomain: { env: CLONING_DOMAIN }\n    soPassword: { env: SO_PASSWORD }\n`;
    const { diagnostics } = await load(await makeDir({ 'fleet.yaml': text }));
    expect(diagnostics.map((d) => d.message)).toEqual(['duplicate HSM name "hsm-a" (first defined at fleet.yaml:2:11)']);
  });

  it('gives the nearest name as a suggestion', async () => {
    const { diagnostics } = await load(await makeDir({ 'fleet.yaml': replaceLine(BASE, 12, '    members: [hsm-a, hsm-B]') }));
    expect(diagnostics).toEqual([
      { severity: 'error', file: 'fleet.yaml', line: 12, col: 22, path: 'hapgs[0].members[1]', message: 'unknown HSM "hsm-B" (did you mean "hsm-b"?)', suggestion: 'hsm-b' },
    ]);
  });
});

describe('warnings', () => {
  const singleMember = replaceLine(BASE, 12, '    members: [hsm-a]');
  const sameZone = replaceLine(BASE, 7, '    availabilityZone: us-east-1a');
  const cases = [
    { name: 'autoRecovery on for a one-member HAPG', text: singleMember,
      expected: ['fleet.yaml:16:13 warning clients[0].hapgs[0]: autoRecovery is on for client "app-1" but HAPG "hapg1" has only 1 member; recovery needs at least two'] },
    { name: 'autoRecovery on only through the client override', text: edit(edit(singleMember, 'enabled: true', 'enabled: false'), '    hapgs: [hapg1]\n', '    hapgs: [hapg1]\n    autoRecovery: { enabled: true }\n'),
      expected: ['fleet.yaml:16:13 warning clients[0].hapgs[0]: autoRecovery is on for client "app-1" but HAPG "hapg1" has only 1 member; recovery needs at least two'] },
    { name: 'one-member HAPG with autoRecovery off', text: edit(singleMember, 'enabled: true', 'enabled: false'), expected: [] },
    { name: 'one-member HAPG, client overriding it off', text: edit(singleMember, '    hapgs: [hapg1]\n', '    hapgs: [hapg1]\n    autoRecovery: { enabled: false }\n'), expected: [] },
    { name: 'all members in one zone', text: sameZone,
      expected: ['fleet.yaml:12:14 warning hapgs[0].members: all 2 members of HAPG "hapg1" are in us-east-1a; one zone outage would take the whole group down'] },
    { name: 'members over two zones', text: BASE, expected: [] },
  ];

  it.each(cases)('$name', async ({ text, expected }) => {
    const { fleet, diagnostics } = await load(await makeDir({ 'fleet.yaml': text }));
    expect(fleet).toBeDefined();
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.severity} ${d.path}: ${d.message}`)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, BASE_ENV, configDirs, edit, replaceLine, validate } from './fixture.js';

interface Case {
  name: string;
  /** Files of the configuration directory (default: BASE as fleet.yaml). */
  files: Record<string, string>;
  env?: Record<string, string>;
  /** Lines that must appear, exactly, in the output. */
  expected: string[];
  /** Number of errors the summary reports. */
  errors: number;
}

const fleet = (text: string) => ({ 'fleet.yaml': text });

const seventeen = [
  'hsms:',
  ...Array.from({ length: 17 }, (_, i) =>
    `  - { name: h${i + 1}, availabilityZone: us-east-1${'ab'[i % 2]}, cloningDomain: { env: CLONING_DOMAIN }, soPassword: { env: SO_PASSWORD } }`),
  'hapgs:',
  '  - label: big',
  `    members: [${Array.from({ length: 17 }, (_, i) => `h${i + 1}`).join(', ')}]`,
  '    partitionPassword: { env: PARTITION_PASSWORD }',
  '',
].join('\n');

const otherHsmB = `hsms:
  - name: hsm-b
    availabilityZone: us-east-1c
    cloningDomain: { env: CLONING_DOMAIN }
    soPassword: { env: SO_PASSWORD }
`;

const cases: Case[] = [
  // Shape: unknown and missing keys.
  { name: 'unknown top-level key', files: fleet(edit(BASE, 'clients:', 'client:')), errors: 1,
    expected: ['fleet.yaml:14:1 error client: unknown key "client" (did you mean "clients"?)'] },
  { name: 'misspelt HSM key', files: fleet(replaceLine(BASE, 3, '    availabilityzone: us-east-1a')), errors: 2,
    expected: [
      'fleet.yaml:2:5 error hsms[0]: missing required key "availabilityZone"',
      'fleet.yaml:3:5 error hsms[0].availabilityzone: unknown key "availabilityzone" (did you mean "availabilityZone"?)',
    ] },
  { name: 'unknown HSM key with no close match', files: fleet(replaceLine(BASE, 5, '    soPassword: { env: SO_PASSWORD }', '    color: blue')), errors: 1,
    expected: ['fleet.yaml:6:5 error hsms[0].color: unknown key "color" (expected "name", "availabilityZone", "subnetId", "label", "cloningDomain", "soPassword", "sshPublicKey", "syslogIp", "protect")'] },
  { name: 'HAPG without members', files: fleet(replaceLine(BASE, 12)), errors: 1,
    expected: ['fleet.yaml:11:5 error hapgs[0]: missing required key "members"'] },
  { name: 'client without hapgs', files: fleet(replaceLine(BASE, 16)), errors: 1,
    expected: ['fleet.yaml:15:5 error clients[0]: missing required key "hapgs"'] },
  { name: 'hsms is not a list', files: fleet('hsms:\n  name: hsm-a\n'), errors: 1,
    expected: ['fleet.yaml:2:3 error hsms: must be a list'] },
  { name: 'file is a list', files: fleet('- name: hsm-a\n'), errors: 1,
    expected: ['fleet.yaml:1:1 error: a configuration file must be a mapping with any of the keys hsms, hapgs, clients, autoRecovery'] },

  // Secret references.
  { name: 'literal secret', files: fleet(replaceLine(BASE, 5, '    soPassword: hunter2-literal')), errors: 1,
    expected: ['fleet.yaml:5:17 error hsms[0].soPassword: secrets must be references: { env: NAME } or { file: path }'] },
  { name: 'reference with env and file', files: fleet(replaceLine(BASE, 5, '    soPassword: { env: SO_PASSWORD, file: so.txt }')), errors: 1,
    expected: ['fleet.yaml:5:17 error hsms[0].soPassword: a secret reference has exactly one of env or file, not both'] },
  { name: 'empty reference', files: fleet(replaceLine(BASE, 5, '    soPassword: {}')), errors: 1,
    expected: ['fleet.yaml:5:17 error hsms[0].soPassword: a secret reference needs one of env or file: { env: NAME } or { file: path }'] },
  { name: 'misspelt reference key', files: fleet(replaceLine(BASE, 5, '    soPassword: { envv: SO_PASSWORD }')), errors: 1,
    expected: ['fleet.yaml:5:19 error hsms[0].soPassword.envv: unknown key "envv" (did you mean "env"?)'] },
  { name: 'malformed variable name', files: fleet(replaceLine(BASE, 5, '    soPassword: { env: 1BAD }')), errors: 1,
    expected: ['fleet.yaml:5:24 error hsms[0].soPassword.env: must be an environment variable name (letters, digits and underscores, not starting with a digit)'] },
  { name: 'unset variable', files: fleet(BASE), env: { ...BASE_ENV, SO_PASSWORD: undefined as unknown as string }, errors: 2,
    expected: [
      'fleet.yaml:5:24 error hsms[0].soPassword.env: environment variable SO_PASSWORD is not set',
      'fleet.yaml:9:24 error hsms[1].soPassword.env: environment variable SO_PASSWORD is not set',
    ] },
  { name: 'empty variable', files: fleet(BASE), env: { ...BASE_ENV, PARTITION_PASSWORD: '' }, errors: 1,
    expected: ['fleet.yaml:13:31 error hapgs[0].partitionPassword.env: environment variable PARTITION_PASSWORD is empty'] },
  { name: 'missing secret file', files: fleet(replaceLine(BASE, 5, '    soPassword: { file: keys/x.txt }')), errors: 1,
    expected: ['fleet.yaml:5:25 error hsms[0].soPassword.file: secret file keys/x.txt not found'] },
  { name: 'secret file relative to the YAML file, not the cwd',
    files: { 'sub/fleet.yaml': replaceLine(BASE, 5, '    soPassword: { file: so.txt }'), 'so.txt': 'zq-so-file-value\n' }, errors: 1,
    expected: ['sub/fleet.yaml:5:25 error hsms[0].soPassword.file: secret file so.txt not found'] },
  { name: 'empty secret file', files: { ...fleet(replaceLine(BASE, 5, '    soPassword: { file: so.txt }')), 'so.txt': '\n' }, errors: 1,
    expected: ['fleet.yaml:5:25 error hsms[0].soPassword.file: secret file so.txt is empty'] },

  // Unique names and labels.
  { name: 'duplicate HSM name', files: fleet(replaceLine(BASE, 6, '  - name: hsm-a')), errors: 2,
    expected: [
      'fleet.yaml:6:11 error hsms[1].name: duplicate HSM name "hsm-a" (first defined at fleet.yaml:2:11)',
      'fleet.yaml:12:22 error hapgs[0].members[1]: unknown HSM "hsm-b" (did you mean "hsm-a"?)',
    ] },
  { name: 'duplicate HSM name across files', files: { 'a.yaml': BASE, 'b.yaml': otherHsmB }, errors: 1,
    expected: ['b.yaml:2:11 error hsms[0].name: duplicate HSM name "hsm-b" (first defined at a.yaml:6:11)'] },
  { name: 'duplicate HSM label',
    files: fleet(edit(edit(BASE, '  - name: hsm-a\n', '  - name: hsm-a\n    label: prod\n'), '  - name: hsm-b\n', '  - name: hsm-b\n    label: prod\n')), errors: 1,
    expected: ['fleet.yaml:8:12 error hsms[1].label: duplicate HSM label "prod" (first defined at fleet.yaml:3:12)'] },
  { name: 'label equal to the default label of another HSM', files: fleet(edit(BASE, '  - name: hsm-b\n', '  - name: hsm-b\n    label: hsm-a\n')), errors: 1,
    expected: ['fleet.yaml:7:12 error hsms[1].label: duplicate HSM label "hsm-a" (first defined at fleet.yaml:2:11)'] },
  { name: 'duplicate HAPG label', errors: 1,
    files: fleet(replaceLine(BASE, 13, '    partitionPassword: { env: PARTITION_PASSWORD }', '  - label: hapg1', '    members: [hsm-b]', '    partitionPassword: { env: PARTITION_PASSWORD }')),
    expected: ['fleet.yaml:14:12 error hapgs[1].label: duplicate HAPG label "hapg1" (first defined at fleet.yaml:11:12)'] },
  { name: 'duplicate client name across files', files: { 'a.yaml': BASE, 'b.yaml': 'clients:\n  - name: app-1\n    hapgs: [hapg1]\n' }, errors: 1,
    expected: ['b.yaml:2:11 error clients[0].name: duplicate client name "app-1" (first defined at a.yaml:15:11)'] },

  // References between items.
  { name: 'unknown member, near a known name', files: fleet(replaceLine(BASE, 12, '    members: [hsm-a, hsm-bb]')), errors: 1,
    expected: ['fleet.yaml:12:22 error hapgs[0].members[1]: unknown HSM "hsm-bb" (did you mean "hsm-b"?)'] },
  { name: 'unknown member, near nothing', files: fleet(replaceLine(BASE, 12, '    members: [hsm-a, payments-hsm]')), errors: 1,
    expected: ['fleet.yaml:12:22 error hapgs[0].members[1]: unknown HSM "payments-hsm"'] },
  { name: 'member listed twice', files: fleet(replaceLine(BASE, 12, '    members: [hsm-a, hsm-b, hsm-a]')), errors: 1,
    expected: ['fleet.yaml:12:29 error hapgs[0].members[2]: member "hsm-a" is listed twice (first at fleet.yaml:12:15)'] },
  { name: 'member that is not a string', files: fleet(replaceLine(BASE, 12, '    members: [hsm-a, 7]')), errors: 1,
    expected: ['fleet.yaml:12:22 error hapgs[0].members[1]: must be a string (put it in quotes)'] },
  { name: 'no members', files: fleet(replaceLine(BASE, 12, '    members: []')), errors: 1,
    expected: ['fleet.yaml:12:14 error hapgs[0].members: a HAPG needs at least one member'] },
  { name: '17 members', files: fleet(seventeen), errors: 1,
    expected: ['fleet.yaml:21:14 error hapgs[0].members: a HAPG has at most 16 members'] },
  { name: 'cloning domains differ', files: fleet(replaceLine(BASE, 8, '    cloningDomain: { env: OTHER_DOMAIN }')),
    env: { ...BASE_ENV, OTHER_DOMAIN: 'zq-other-domain-value-4' }, errors: 1,
    expected: ['fleet.yaml:12:22 error hapgs[0].members[1]: hsm-b\'s cloning domain differs from hsm-a\'s (HAPG "hapg1" needs one cloning domain)'] },
  { name: 'unknown client HAPG', files: fleet(replaceLine(BASE, 16, '    hapgs: [hapg2]')), errors: 1,
    expected: ['fleet.yaml:16:13 error clients[0].hapgs[0]: unknown HAPG "hapg2" (did you mean "hapg1"?)'] },
  { name: 'client lists a HAPG twice', files: fleet(replaceLine(BASE, 16, '    hapgs: [hapg1, hapg1]')), errors: 1,
    expected: ['fleet.yaml:16:20 error clients[0].hapgs[1]: HAPG "hapg1" is listed twice (first at fleet.yaml:16:13)'] },

  // autoRecovery.
  { name: 'retry above 500', files: fleet(replaceLine(BASE, 19, '  retry: 501')), errors: 1,
    expected: ['fleet.yaml:19:10 error autoRecovery.retry: must be -1 (unlimited) or an integer between 0 and 500'] },
  { name: 'retry below -1', files: fleet(replaceLine(BASE, 19, '  retry: -2')), errors: 1,
    expected: ['fleet.yaml:19:10 error autoRecovery.retry: must be -1 (unlimited) or an integer between 0 and 500'] },
  { name: 'retry not an integer', files: fleet(replaceLine(BASE, 19, '  retry: 1.5')), errors: 1,
    expected: ['fleet.yaml:19:10 error autoRecovery.retry: must be -1 (unlimited) or an integer between 0 and 500'] },
  { name: 'interval below 60', files: fleet(replaceLine(BASE, 20, '  interval: 59')), errors: 1,
    expected: ['fleet.yaml:20:13 error autoRecovery.interval: must be an integer between 60 and 1200'] },
  { name: 'interval above 1200', files: fleet(replaceLine(BASE, 20, '  interval: 1201')), errors: 1,
    expected: ['fleet.yaml:20:13 error autoRecovery.interval: must be an integer between 60 and 1200'] },
  { name: 'interval with a unit', files: fleet(replaceLine(BASE, 20, '  interval: 60s')), errors: 1,
    expected: ['fleet.yaml:20:13 error autoRecovery.interval: must be an integer between 60 and 1200'] },
  { name: 'enabled is not a boolean', files: fleet(replaceLine(BASE, 18, '  enabled: yes')), errors: 1,
    expected: ['fleet.yaml:18:12 error autoRecovery.enabled: must be true or false'] },
  { name: 'misspelt autoRecovery key', files: fleet(replaceLine(BASE, 19, '  retries: -1')), errors: 1,
    expected: ['fleet.yaml:19:3 error autoRecovery.retries: unknown key "retries" (did you mean "retry"?)'] },
  { name: 'client override out of range', files: fleet(replaceLine(BASE, 16, '    hapgs: [hapg1]', '    autoRecovery: { retry: 10, interval: 5 }')), errors: 1,
    expected: ['fleet.yaml:17:42 error clients[0].autoRecovery.interval: must be an integer between 60 and 1200'] },
  { name: 'autoRecovery in two files', files: { 'a.yaml': BASE, 'b.yaml': 'autoRecovery:\n  enabled: false\n' }, errors: 1,
    expected: ['b.yaml:1:1 error autoRecovery: autoRecovery is defined more than once (first defined at a.yaml:17:1)'] },

  // Field formats.
  { name: 'HSM name with capitals and underscore', files: fleet(replaceLine(replaceLine(BASE, 12, '    members: [hsm-a, hsm_B]'), 6, '  - name: hsm_B')), errors: 1,
    expected: ['fleet.yaml:6:11 error hsms[1].name: must be 1 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit'] },
  { name: 'malformed availability zone', files: fleet(replaceLine(BASE, 3, '    availabilityZone: east')), errors: 1,
    expected: ['fleet.yaml:3:23 error hsms[0].availabilityZone: must be an availability zone such as us-east-1a'] },
  { name: 'malformed subnet id', files: fleet(replaceLine(BASE, 3, '    availabilityZone: us-east-1a', '    subnetId: sn-123')), errors: 1,
    expected: ['fleet.yaml:4:15 error hsms[0].subnetId: must be a subnet id such as subnet-0a1b2c3d'] },
  { name: 'malformed syslog address', files: fleet(replaceLine(BASE, 3, '    availabilityZone: us-east-1a', '    syslogIp: 10.0.1.300')), errors: 1,
    expected: ['fleet.yaml:4:15 error hsms[0].syslogIp: must be an IPv4 address such as 10.0.1.10'] },
  { name: 'protect is not a boolean', files: fleet(replaceLine(BASE, 3, '    availabilityZone: us-east-1a', '    protect: "yes"')), errors: 1,
    expected: ['fleet.yaml:4:14 error hsms[0].protect: must be true or false'] },
  { name: 'HAPG label with a space', files: fleet(replaceLine(replaceLine(BASE, 16, '    hapgs: ["hapg 1"]'), 11, '  - label: hapg 1')), errors: 1,
    expected: ['fleet.yaml:11:12 error hapgs[0].label: must be 1 to 64 letters, digits, dots, underscores or hyphens'] },

  // YAML itself.
  { name: 'unclosed flow sequence', files: fleet(replaceLine(BASE, 12, '    members: [hsm-a, hsm-b')), errors: 1,
    expected: ['fleet.yaml:13:5 error: YAML syntax: flow sequence in block collection must be sufficiently indented and end with a ]'] },
  { name: 'duplicate key', files: fleet(replaceLine(BASE, 3, '    availabilityZone: us-east-1a', '    availabilityZone: us-east-1c')), errors: 1,
    expected: ['fleet.yaml:4:5 error: duplicate key "availabilityZone" in the same mapping'] },
  { name: 'tab indentation', files: fleet(replaceLine(BASE, 3, '\tavailabilityZone: us-east-1a')), errors: 1,
    expected: ['fleet.yaml:3:1 error: YAML syntax: tabs are not allowed as indentation; use spaces'] },
  { name: 'two documents in one file', files: fleet(`${BASE}---\nhsms: []\n`), errors: 1,
    expected: ['fleet.yaml:21:1 error: a configuration file holds one YAML document; split the others ("---") into their own files'] },
];

describe('hsmctl validate rejects invalid configurations', () => {
  const makeDir = configDirs();

  it('has a case for at least thirty configurations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', async ({ files, env, expected, errors }) => {
    const dir = await makeDir(files);
    const { code, out, err } = await validate(dir, env ?? BASE_ENV);
    const lines = out.trimEnd().split('\n');
    expect(code).toBe(1);
    expect(err).toBe('');
    for (const line of expected) expect(lines).toContain(line);
    expect(lines.filter((l) => / error[ :]/.test(l))).toHaveLength(errors);
    expect(lines.at(-1)).toMatch(new RegExp(`^Configuration is invalid: ${errors} errors?(, \\d+ warnings?)?\\.$`));
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { WorldEmulator } from '../../../src/emulator/index.js';
import { runLunash } from '../../../src/emulator/shell/lunash/index.js';
import { DOMAIN, expectNoSecrets, hsmOf, ok, PARTITION_PW, refused, seedFleet, shellWorld, snapshot, SO, type SeededFleet } from './world.js';

const FAILURE = 'Command Result : 65535 (Luna Shell execution)';

describe('lunash refusals', () => {
  let emu: WorldEmulator;
  let fleet: SeededFleet;
  const lunash = (...argv: string[]) => runLunash(emu, 'hsm-a', argv);

  beforeEach(async () => {
    emu = shellWorld().emu;
    fleet = await seedFleet(emu);
  });

  const cases: Array<{ name: string; argv: (f: SeededFleet) => string[]; error: string | RegExp }> = [
    { name: 'an unknown command', argv: () => ['hsm', 'frobnicate'], error: 'Error: Invalid command: hsm frobnicate' },
    { name: 'an unknown command group', argv: () => ['sysconf', 'regenCert'], error: 'Error: Invalid command: sysconf regenCert' },
    { name: 'partition create without hsm login', argv: () => ['partition', 'create', '-partition', 'p1', '-password', PARTITION_PW, '-domain', DOMAIN], error: "Error: 'partition create' failed. (1010001 : LUNA_RET_SM_NOT_LOGGED_IN)" },
    { name: 'partition delete without hsm login', argv: (f) => ['partition', 'delete', '-partition', f.partitionA, '-f'], error: 'LUNA_RET_SM_NOT_LOGGED_IN' },
    { name: 'client show of an unknown client', argv: () => ['client', 'show', '-c', 'nobody'], error: "Error: 'client show' failed. (C000040A : RC_OBJECT_NOT_IN_LIST)\n\nError: Specified client does not exist." },
    { name: 'client fingerprint of an unknown client', argv: () => ['client', 'fingerprint', '-client', 'nobody'], error: "Error: 'client fingerprint' failed. (C000040A : RC_OBJECT_NOT_IN_LIST)" },
    { name: 'assignPartition to an unknown client', argv: (f) => ['client', 'assignPartition', '-client', 'nobody', '-partition', f.partitionA], error: '(C000040A : RC_OBJECT_NOT_IN_LIST)' },
    { name: 'assignPartition of an unknown partition', argv: () => ['client', 'assignPartition', '-client', 'app-1', '-partition', 'nope'], error: 'Specified partition does not exist.' },
    { name: 'assignPartition of an assigned partition', argv: (f) => ['client', 'assignPartition', '-client', 'app-1', '-partition', f.partitionA], error: 'RC_OBJECT_ALREADY_EXISTS' },
    { name: 'revokePartition of an unassigned partition', argv: (f) => ['client', 'revokePartition', '-client', 'app-1', '-partition', f.partitionB], error: 'Specified partition does not exist.' },
    { name: 'client register of a registered client', argv: () => ['client', 'register', '-client', 'app-1', '-hostname', 'h'], error: "Error: 'client register' failed. (RC_OBJECT_ALREADY_EXISTS)" },
    { name: 'client register without a certificate', argv: () => ['client', 'register', '-client', 'ghost', '-hostname', 'h'], error: /Error: 'client register' failed\.\n\nError: .*ghost\.pem/ },
    { name: 'client delete without -force', argv: () => ['client', 'delete', '-client', 'app-1'], error: 'add -force' },
    { name: 'hsm zeroize without -force', argv: () => ['hsm', 'zeroize'], error: "Type 'proceed' to zeroize the HSM" },
    { name: 'hsm init of an initialized HSM', argv: () => ['hsm', 'init', '-label', 'x', '-domain', DOMAIN, '-password', SO, '-force'], error: 'The HSM is already initialized' },
    { name: 'hsm init without -force', argv: () => ['hsm', 'init', '-label', 'x', '-domain', DOMAIN, '-password', SO], error: 'add -force' },
    { name: 'a missing required option', argv: () => ['client', 'show'], error: 'Error: Missing required parameter: -client\nSyntax: client show -client <client name>' },
    { name: 'a missing option value', argv: () => ['hsm', 'login', '-password'], error: 'Error: Missing value for option: -password' },
    { name: 'an ambiguous abbreviation', argv: () => ['partition', 'create', '-p', 'x'], error: 'Error: Ambiguous option: -p' },
    { name: 'an unknown option', argv: () => ['partition', 'list', '-verbose'], error: 'Error: Invalid option: -verbose' },
    { name: 'an extra word', argv: () => ['hsm', 'show', SO], error: 'Error: Too many parameters.' },
  ];

  it.each(cases)('refuses $name in lunash words, exit 1, world unchanged', async ({ argv, error }) => {
    const before = await snapshot(emu);
    const stderr = refused(await lunash(...argv(fleet)));
    if (typeof error === 'string') expect(stderr).toContain(error);
    else expect(stderr).toMatch(error);
    expect(stderr.trimEnd().endsWith(FAILURE)).toBe(true);
    expectNoSecrets(stderr);
    expect(await snapshot(emu)).toEqual(before);
  });

  it('stops a session at the first refused command and runs nothing after it', async () => {
    const output = await lunash('client', 'list', ';', 'partition', 'create', '-partition', 'p1', '-password', 'x', '-domain', 'd', ';', 'client', 'revokePartition', '-client', 'app-1', '-partition', fleet.partitionA);
    expect(output.stdout).toContain('registered client 1: app-1');
    expect(refused(output)).toContain('LUNA_RET_SM_NOT_LOGGED_IN');
    expect(hsmOf(await emu.describe(), 'hsm-a').clients[0]?.partitions).toEqual([fleet.partitionA]);
  });

  it('three wrong SO logins zeroize the HSM, with the real codes and hsm show counting down', async () => {
    const first = await lunash('hsm', 'login', '-password', 'wrong-1');
    expect(refused(first)).toContain("Error: 'hsm login' failed. (A00000 : LUNA_RET_UM_PIN_INCORRECT)");
    expect(ok(await lunash('hsm', 'show'))).toMatch(/HSM Admin login attempts left: +2 before HSM zeroization!/);

    const second = await lunash('hsm', 'login', '-password', 'wrong-2');
    expect(second.stdout).toContain('Caution: You have only TWO HSM Admin login attempts left.');
    expect(refused(second)).toContain('(A00000 : LUNA_RET_UM_PIN_INCORRECT)');
    expect(ok(await lunash('hsm', 'show'))).toMatch(/HSM Admin login attempts left: +1 before HSM zeroization!/);

    const third = await lunash('hsm', 'login', '-password', 'wrong-3');
    expect(third.stdout).toContain('This is your LAST available HSM Admin login attempt');
    expect(refused(third)).toContain("Error: 'hsm login' failed. (30000F : LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD)");
    const show = ok(await lunash('hsm', 'show'));
    expect(show).toMatch(/HSM Label: +no label/);
    expect(show).toContain('HSM IS ZEROIZED');
    expect(show).toContain('There are no partitions.');
    for (const output of [first, second, third]) expect(output.stdout + output.stderr).not.toMatch(/wrong-\d/);
  });

  it('a correct login gives the attempts back', async () => {
    refused(await lunash('hsm', 'login', '-password', 'wrong'));
    ok(await lunash('hsm', 'login', '-password', SO));
    expect(ok(await lunash('hsm', 'show'))).toMatch(/attempts left: +3 before HSM zeroization!/);
  });

  it('answers as ssh does for an unknown, powered-off or cut-off appliance', async () => {
    expect(refused(await runLunash(emu, 'hsm-zz', ['hsm', 'show']))).toBe('ssh: Could not resolve hostname hsm-zz: Name or service not known\n');
    await emu.fail(fleet.a.arn, 'power');
    expect(refused(await lunash('hsm', 'show'))).toBe(`ssh: connect to host ${fleet.a.eniIp} port 22: Connection timed out\n`);
    await emu.restore(fleet.a.arn);
    await emu.fail(fleet.a.arn, 'network');
    expect(refused(await lunash('hsm', 'show'))).toBe(`ssh: connect to host ${fleet.a.eniIp} port 22: No route to host\n`);
  });
});

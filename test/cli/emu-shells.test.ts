import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { openEmulator } from '../../src/emulator/index.js';
import { captureIo } from '../helpers/io.js';
import { seededStateDir, SO, type SeededFleet } from '../emulator/shell/world.js';

/** The shells and the argument handling of `hsmctl emu`, in-process. */
describe('hsmctl emu shells and arguments', () => {
  let dir: string;
  let fleet: SeededFleet;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, fleet, cleanup } = await seededStateDir());
  });
  afterAll(() => cleanup());

  async function cli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
    const io = captureIo(options);
    const code = await runCli(args, io);
    return { code, out: io.out(), err: io.err() };
  }
  const emu = (...args: string[]) => cli(['emu', '--state', dir, ...args]);

  it('passes lunash output through, with or without "--"', async () => {
    const show = await emu('lunash', 'hsm-a', '--', 'hsm', 'show');
    expect([show.code, show.err]).toEqual([0, '']);
    expect(show.out).toMatch(/HSM Label: +prod-a/);
    const list = await emu('lunash', 'hsm-b', 'client', 'list');
    expect(list.out).toContain('registered client 1: app-1');
  });

  it('passes a refusal through on stderr with exit 1', async () => {
    const { code, out, err } = await emu('lunash', 'hsm-a', '--', 'hsm', 'login', '-password', 'wrong', ';', 'hsm', 'logout');
    expect([code, out]).toEqual([1, '']);
    expect(err).toBe("Error: 'hsm login' failed. (A00000 : LUNA_RET_UM_PIN_INCORRECT)\n\nCommand Result : 65535 (Luna Shell execution)\n");
    await emu('lunash', 'hsm-a', '--', 'hsm', 'login', '-password', SO);
  });

  it('runs vtl on a client instance', async () => {
    const { code, out } = await emu('vtl', 'app-1', '--', 'listServers');
    expect(code).toBe(0);
    expect(out).toBe(`Server: ${fleet.a.eniIp}  HTL required: no\nServer: ${fleet.b.eniIp}  HTL required: no\n`);
  });

  it('runs the CloudHSM CLI, reading files relative to the working directory', async () => {
    const cwd = join(dir, 'work');
    await mkdir(join(cwd, 'keys'), { recursive: true });
    await writeFile(join(cwd, 'keys', 'manager.pub'), 'ssh-rsa AAAAB3Nza manager\n');
    const { code, out } = await cli(
      ['emu', '--state', dir, 'cloudhsm', '--', 'create-hsm', '--subnet-id', 'subnet-0a1b2c3d', '--ssh-public-key-file', 'keys/manager.pub', '--iam-role-arn', 'arn:aws:iam::1:role/r'],
      { cwd },
    );
    expect(code).toBe(0);
    const { HsmArn } = JSON.parse(out) as { HsmArn: string };
    expect((await openEmulator(dir).describe()).hsms.map((h) => h.arn)).toContain(HsmArn);
    const described = await emu('cloudhsm', 'describe-hsm', '--hsm-arn', HsmArn);
    expect(JSON.parse(described.out)).toMatchObject({ HsmArn, Status: 'RUNNING', SubnetId: 'subnet-0a1b2c3d' });
  });

  it('finds the world through HSMCTL_STATE, or a --state relative to the working directory', async () => {
    const byEnv = await cli(['emu', 'ls', '--json'], { env: { HSMCTL_STATE: dir } });
    expect(JSON.parse(byEnv.out).hsms[0].serial).toBe(fleet.a.serial);
    const parent = join(dir, '..');
    const byRelative = await cli(['emu', 'ls', '--state', dir.slice(parent.length + 1), '--json'], { cwd: parent });
    expect(JSON.parse(byRelative.out).hsms[0].serial).toBe(fleet.a.serial);
  });

  const usageErrors: Array<{ name: string; args: string[]; error: string }> = [
    { name: 'an unknown subcommand', args: ['frob'], error: 'Error: unknown emu subcommand "frob"' },
    { name: 'a missing HSM', args: ['fail'], error: 'Error: missing HSM\nUsage: hsmctl emu fail HSM [--power | --network]' },
    { name: 'a missing shell target', args: ['lunash'], error: 'Error: missing HSM\nUsage: hsmctl emu lunash HSM -- COMMAND…' },
    { name: 'too many arguments', args: ['restore', 'hsm-a', 'hsm-b'], error: 'Error: too many arguments' },
    { name: 'both fault kinds', args: ['fail', 'hsm-a', '--power', '--network'], error: 'give one of --power or --network, not both' },
    { name: 'an option the subcommand does not take', args: ['fail', 'hsm-a', '--json'], error: 'option --json does not apply to "hsmctl emu fail"' },
    { name: 'an unknown option', args: ['ls', '--colour'], error: 'Error: unknown option --colour' },
    { name: 'a duration without unit', args: ['advance', '90'], error: 'Error: invalid duration "90": a unit is missing' },
    { name: 'a duration that is not one', args: ['latency', 'soon'], error: 'Error: invalid duration "soon"' },
    { name: 'an unknown HSM', args: ['fail', 'hsm-z'], error: 'Error: no HSM is named "hsm-z" (see hsmctl emu ls)' },
    { name: 'keys without create or list', args: ['keys', 'rotate'], error: 'keys needs "create" or "list"' },
    { name: 'keys create with an unknown HAPG', args: ['keys', 'create', 'app-1', 'nope', 'k'], error: 'no HAPG is named "nope"' },
    { name: 'conf of an unknown client', args: ['conf', 'app-9'], error: 'no client instance is named "app-9"' },
  ];

  it.each(usageErrors)('refuses $name with one clear line and exit 1', async ({ args, error }) => {
    const before = await openEmulator(dir).describe();
    const { code, out, err } = await emu(...args);
    expect([code, out]).toEqual([1, '']);
    expect(err).toContain(error);
    expect(err).not.toContain('    at ');
    const after = await openEmulator(dir).describe();
    expect(after.hsms.map((h) => h.reachability)).toEqual(before.hsms.map((h) => h.reachability));
  });

  it('prints its usage on stderr with exit 1 when no subcommand is given', async () => {
    const { code, out, err } = await cli(['emu']);
    expect([code, out]).toEqual([1, '']);
    expect(err).toContain('Usage: hsmctl emu <subcommand> [options]');
  });

  it('shows one subcommand\'s usage for --help', async () => {
    const { code, out } = await emu('advance', '--help');
    expect(code).toBe(0);
    expect(out).toBe('Usage: hsmctl emu advance DURATION\n\nmove the virtual clock forward (90s, 5m, 2h, 1h30m)\n');
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const bin = new URL('../../bin/hsmctl.js', import.meta.url).pathname;

/**
 * `hsmctl emu` through the built binary (`npm test` builds dist/ first): the seed walkthrough
 * typed as an operator would, then a fault, all in one temporary state directory.
 */
describe('hsmctl emu (built binary)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hsmctl-emu-bin-'));
    await writeFile(join(dir, 'manager.pub'), 'ssh-rsa AAAAB3Nza manager\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function hsmctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, HSMCTL_STATE: join(dir, 'state'), NO_COLOR: '1' } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const failed = err as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }
  const json = async (...args: string[]) => JSON.parse((await hsmctl(...args)).stdout) as Record<string, string>;

  it('provisions and initializes an HSM with the CloudHSM CLI, then lunash sees it', async () => {
    const { HsmArn } = await json('emu', 'cloudhsm', '--', 'create-hsm', '--subnet-id', 'subnet-0a1b2c3d', '--ssh-public-key-file', 'manager.pub', '--iam-role-arn', 'arn:aws:iam::1:role/r');
    expect(HsmArn).toMatch(/:hsm-[0-9a-f]{8}$/);
    const init = await hsmctl('emu', 'cloudhsm', '--', 'initialize-hsm', '--hsm-arn', String(HsmArn), '--label', 'prod-a', '--cloning-domain', 'dom-Secret', '--so-password', 'so-Secret');
    expect(init.code).toBe(0);
    expect(init.stdout + init.stderr).not.toMatch(/Secret/);
    const show = await hsmctl('emu', 'lunash', String(HsmArn), '--', 'hsm', 'show');
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/HSM Label: +prod-a/);
    expect(show.stdout).toContain('Command Result : 0 (Success)');
  });

  it('exits 1 with the device words on stderr when lunash refuses', async () => {
    const { code, stdout, stderr } = await hsmctl('emu', 'lunash', 'prod-a', '--', 'hsm', 'login', '-password', 'wrong-Secret');
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toContain("Error: 'hsm login' failed. (A00000 : LUNA_RET_UM_PIN_INCORRECT)");
    expect(stderr).not.toContain('wrong-Secret');
  });

  it('takes the HSM down and lists it as unreachable', async () => {
    expect((await hsmctl('emu', 'fail', 'prod-a', '--network')).stdout).toContain('is cut off from the network.');
    const ls = await json('emu', 'ls', '--json');
    expect(ls.hsms).toMatchObject([{ label: 'prod-a', status: 'DEGRADED', reachability: 'network-lost' }]);
    const { code, stderr } = await hsmctl('emu', 'advance', 'tomorrow');
    expect(code).toBe(1);
    expect(stderr).toBe('Error: invalid duration "tomorrow": cannot read "tomorrow" (examples: 500ms, 90s, 5m, 1h30m)\n');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { openEmulator } from '../../src/emulator/index.js';
import { captureIo } from '../helpers/io.js';
import { seededStateDir, SECRETS, type SeededFleet } from '../emulator/shell/world.js';

/** `hsmctl emu` in-process on a temporary state directory holding the seed fleet. */
describe('hsmctl emu', () => {
  let dir: string;
  let fleet: SeededFleet;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, fleet, cleanup } = await seededStateDir());
  });
  afterEach(() => cleanup());

  async function emu(...args: string[]) {
    const io = captureIo();
    const code = await runCli(['emu', '--state', dir, ...args], io);
    for (const secret of SECRETS) expect(io.out() + io.err()).not.toContain(secret);
    return { code, out: io.out(), err: io.err() };
  }

  it('--help lists every subcommand of SPEC §3', async () => {
    const { code, out } = await emu('--help');
    expect(code).toBe(0);
    for (const usage of ['ls [--json]', 'show NAME|ARN [--json]', 'lunash HSM -- COMMAND…', 'vtl CLIENT -- COMMAND…', 'cloudhsm -- COMMAND…', 'conf CLIENT', 'fail HSM [--power | --network]', 'restore HSM', 'advance DURATION', 'keys create CLIENT HAPG LABEL', 'keys list HSM|HAPG [--json]', 'latency DURATION', 'reset']) {
      expect(out).toContain(usage);
    }
  });

  it('ls prints HSMs, HAPGs and clients as tables', async () => {
    const { code, out } = await emu('ls');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^hsm-a +hsm-[0-9a-f]{8} +${fleet.a.serial} +us-east-1a +${fleet.a.eniIp.replace(/\./g, '\\.')} +RUNNING +reachable +prod-a$`, 'm'));
    expect(out).toMatch(new RegExp(`^hapg1 +hapg-[0-9a-f]{8} +1${fleet.a.serial}001 +READY +hsm-a, hsm-b$`, 'm'));
    expect(out).toMatch(/^app-1 +client-[0-9a-f]{8} +hapg1 +on \(retry 3, every 90s\)$/m);
  });

  it('ls --json is one document with a formatVersion', async () => {
    const { out } = await emu('ls', '--json');
    const doc = JSON.parse(out) as { formatVersion: number; hsms: Array<Record<string, unknown>>; hapgs: Array<Record<string, unknown>>; clients: Array<Record<string, unknown>> };
    expect(doc.formatVersion).toBe(1);
    expect(doc.hsms.map((h) => [h.name, h.serial, h.status, h.reachability, h.label, h.zeroized])).toEqual([
      ['hsm-a', fleet.a.serial, 'RUNNING', 'reachable', 'prod-a', false],
      ['hsm-b', fleet.b.serial, 'RUNNING', 'reachable', 'prod-b', false],
    ]);
    expect(doc.hapgs[0]).toMatchObject({ label: 'hapg1', state: 'READY', members: ['hsm-a', 'hsm-b'] });
    expect(doc.clients[0]).toMatchObject({ name: 'app-1', groups: ['hapg1'], autoRecovery: { enabled: true, retry: 3, interval: 90 } });
  });

  it('show prints one HSM, HAPG or client in full', async () => {
    const hsm = await emu('show', 'hsm-a');
    expect(hsm.out).toContain(`HSM hsm-a\n  ARN:`);
    expect(hsm.out).toMatch(/SO login attempts left: +3/);
    expect(hsm.out).toContain(`${fleet.partitionA}  serial ${fleet.a.serial}001  0 objects  (HAPG hapg1)`);
    expect(hsm.out).toContain(`app-1  hostname app-1  partitions ${fleet.partitionA}`);
    const hapg = await emu('show', fleet.hapgArn);
    expect(hapg.out).toContain(`hsm-b  serial ${fleet.b.serial}  partition ${fleet.partitionB}`);
    const client = await emu('show', 'app-1');
    expect(client.out).toContain('Chrystoki.conf:   written (hsmctl emu conf app-1)');
    expect(client.out).toMatch(/autoRecovery: +on \(retry 3, every 90s\)/);
  });

  it('show --json gives the resource with its kind', async () => {
    const doc = JSON.parse((await emu('show', 'prod-b', '--json')).out) as { formatVersion: number; kind: string; resource: { arn: string } };
    expect([doc.formatVersion, doc.kind, doc.resource.arn]).toEqual([1, 'hsm', fleet.b.arn]);
  });

  it('show refuses a name that matches nothing', async () => {
    const { code, err } = await emu('show', 'nothing-here');
    expect(code).toBe(1);
    expect(err).toBe('Error: no HSM, HAPG or client instance is named "nothing-here" (see hsmctl emu ls)\n');
  });

  it('conf prints the Chrystoki.conf get-client-configuration wrote', async () => {
    const { code, out } = await emu('conf', 'app-1');
    expect(code).toBe(0);
    expect(out).toContain('VirtualToken00Label = hapg1;');
    expect(out).toContain(`VirtualToken00Members = ${fleet.a.serial}001,${fleet.b.serial}001;`);
    expect(out).toContain(`ServerName00 = ${fleet.a.eniIp};`);
    expect(out).toMatch(/HAConfiguration = \{\n {3}reconnAtt = 3;\n {3}AutoReconnectInterval = 90;\n {3}HAOnly = 1;\n\}/);
  });

  it('conf refuses a client with no configuration written', async () => {
    await openEmulator(dir).createCert('app-2');
    const { code, err } = await emu('conf', 'app-2');
    expect(code).toBe(1);
    expect(err).toContain('app-2 has no Chrystoki.conf yet');
  });

  it('fail takes an HSM down (power by default, or network) and restore brings it back', async () => {
    expect((await emu('fail', 'hsm-b')).out).toBe(`hsm-b (serial ${fleet.b.serial}, ${fleet.b.eniIp}) has lost power.\n`);
    expect((await emu('ls')).out).toMatch(/^hsm-b .* DEGRADED +power-lost +prod-b$/m);
    expect((await emu('restore', 'hsm-b')).out).toContain('is back: power on, network up (it was power-lost)');
    expect((await emu('fail', fleet.a.serial, '--network')).out).toContain('is cut off from the network.');
    expect((await emu('ls')).out).toMatch(/^hsm-a .* DEGRADED +network-lost +prod-a$/m);
  });

  it('after fail and advance, vtl haAdmin show counts the recovery attempts', async () => {
    await emu('fail', 'hsm-b');
    const advanced = await emu('advance', '3m20s');
    expect(advanced.out).toMatch(/^Virtual clock advanced by 3m20s; it is now \d{4}-\d\d-\d\dT/);
    const { code, out } = await emu('vtl', 'app-1', '--', 'haAdmin', 'show');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`- +${fleet.b.serial}001 +${fleet.partitionB} +(down|recovering) +2 \\(next `));
  });

  it('keys create goes through the HAPG; keys list shows the objects on the HAPG and on each HSM', async () => {
    const created = await emu('keys', 'create', 'app-1', 'hapg1', 'signing-key');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^Created key object handle 1 "signing-key" \(AES-256\) through HAPG hapg1 from app-1\.\nServed by hsm-[ab] \(serial \d+\)/);
    const onHapg = await emu('keys', 'list', 'hapg1');
    expect(onHapg.out).toMatch(/^HAPG hapg1 holds 1 key object:\nHANDLE +LABEL +TYPE +FINGERPRINT +CREATED\n1 +signing-key +AES-256 +[0-9a-f]{16} /);
    const onHsm = JSON.parse((await emu('keys', 'list', 'hsm-b', '--json')).out) as { holder: string; objects: Array<{ handle: number; label: string }> };
    expect(onHsm.holder).toBe(fleet.b.arn);
    expect(onHsm.objects.map((o) => [o.handle, o.label])).toEqual([[1, 'signing-key']]);
  });

  it('keys list refuses an unreachable HSM instead of showing it empty', async () => {
    await emu('fail', 'hsm-a');
    const { code, err } = await emu('keys', 'list', 'hsm-a');
    expect(code).toBe(1);
    expect(err).toContain('HSM hsm-a is unreachable (power-lost)');
  });

  it('latency sets the real time of each device operation', async () => {
    expect((await emu('latency', '50ms')).out).toBe('Each device operation now takes 50ms of real time.\n');
    expect((await openEmulator(dir).settings()).latencyMs).toBe(50);
    expect((await emu('latency', '0')).out).toBe('Device operations now take no time.\n');
  });

  it('reset empties the world and says what it removed', async () => {
    const { code, out } = await emu('reset');
    expect(code).toBe(0);
    expect(out).toBe(`Reset the emulated world in ${dir}: removed 2 HSMs, 1 HAPG, 1 client instance; clock offset and latency are back to 0.\n`);
    const world = await openEmulator(dir).describe();
    expect([world.hsms, world.hapgs, world.clients]).toEqual([[], [], []]);
  });
});

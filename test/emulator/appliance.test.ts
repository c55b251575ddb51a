import { describe, expect, it } from 'vitest';
import { CLONING_DOMAIN, PARTITION_PASSWORD, SO_PASSWORD, expectRefusal, initializedHsm, testWorld } from './fixtures.js';

async function hsmWithClient() {
  const { emu, wall } = testWorld();
  const hsmArn = await initializedHsm(emu, 'hsm-a');
  await emu.createCert('app-1');
  return { emu, wall, hsmArn };
}
type Env = Awaited<ReturnType<typeof hsmWithClient>>;

const partition = (hsmArn: string, soPassword = SO_PASSWORD) => ({
  hsmArn,
  partitionName: 'p1',
  partitionPassword: PARTITION_PASSWORD,
  cloningDomain: CLONING_DOMAIN,
  soPassword,
});

describe('hsm login', () => {
  it('refuses a wrong SO password with A00000 and spends an attempt; a right one gives them back', async () => {
    const { emu, hsmArn } = await hsmWithClient();
    await expectRefusal(emu.hsmLogin(hsmArn, 'wrong'), 'LUNA_RET_UM_PIN_INCORRECT', /^A00000 : LUNA_RET_UM_PIN_INCORRECT$/);
    expect((await emu.describe()).hsms[0]?.soLoginAttemptsLeft).toBe(2);
    await emu.hsmLogin(hsmArn, SO_PASSWORD);
    expect((await emu.describe()).hsms[0]?.soLoginAttemptsLeft).toBe(3);
  });

  it('zeroizes the HSM on the third consecutive wrong password (30000F)', async () => {
    const { emu, hsmArn } = await hsmWithClient();
    await emu.createPartition(partition(hsmArn));
    await emu.registerClientOnHsm({ hsmArn, clientName: 'app-1', hostname: 'app-1' });
    await expectRefusal(emu.hsmLogin(hsmArn, 'wrong-1'), 'LUNA_RET_UM_PIN_INCORRECT');
    await expectRefusal(emu.hsmLogin(hsmArn, 'wrong-2'), 'LUNA_RET_UM_PIN_INCORRECT');
    expect((await emu.describe()).hsms[0]?.soLoginAttemptsLeft).toBe(1);
    await expectRefusal(emu.hsmLogin(hsmArn, 'wrong-3'), 'LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD', /^30000F : LUNA_RET_SO_LOGIN_FAILURE_THRESHOLD$/);
    const [hsm] = (await emu.describe()).hsms;
    expect(hsm).toMatchObject({ zeroized: true, label: null, partitions: [], clients: [], soLoginAttemptsLeft: 3 });
    // The old SO password is gone with everything else.
    await expectRefusal(emu.hsmLogin(hsmArn, SO_PASSWORD), 'LUNA_RET_HSM_ZEROIZED');
  });

  it('counts a wrong SO password given to partition create and partition delete', async () => {
    const { emu, hsmArn } = await hsmWithClient();
    await expectRefusal(emu.createPartition(partition(hsmArn, 'wrong')), 'LUNA_RET_UM_PIN_INCORRECT');
    await emu.createPartition(partition(hsmArn));
    await expectRefusal(emu.deletePartition({ hsmArn, partitionName: 'p1', soPassword: 'wrong' }), 'LUNA_RET_UM_PIN_INCORRECT');
    const [hsm] = (await emu.describe()).hsms;
    expect(hsm?.soLoginAttemptsLeft).toBe(2);
    expect(hsm?.partitions.map((p) => p.name)).toEqual(['p1']);
  });
});

describe('partitions', () => {
  it('creates partitions with serial = HSM serial + three digits, and deletes them', async () => {
    const { emu, hsmArn } = await hsmWithClient();
    const { partitionSerial } = await emu.createPartition(partition(hsmArn));
    const second = await emu.createPartition({ ...partition(hsmArn), partitionName: 'p2' });
    const [hsm] = (await emu.describe()).hsms;
    expect(partitionSerial).toBe(`${hsm?.serial}001`);
    expect(second.partitionSerial).toBe(`${hsm?.serial}002`);
    await emu.deletePartition({ hsmArn, partitionName: 'p1', soPassword: SO_PASSWORD });
    expect((await emu.describe()).hsms[0]?.partitions).toEqual([{ name: 'p2', serial: second.partitionSerial, objectCount: 0, objectHandles: [] }]);
  });

  it.each([
    { name: 'a duplicate name', run: async (emu: Env['emu'], hsmArn: string) => {
      await emu.createPartition(partition(hsmArn));
      await expectRefusal(emu.createPartition(partition(hsmArn)), 'RC_OBJECT_ALREADY_EXISTS');
    } },
    { name: 'an unknown partition to delete', run: async (emu: Env['emu'], hsmArn: string) => {
      await expectRefusal(emu.deletePartition({ hsmArn, partitionName: 'nope', soPassword: SO_PASSWORD }), 'RC_OBJECT_NOT_IN_LIST', 'C000040A : RC_OBJECT_NOT_IN_LIST');
    } },
    { name: 'an invalid name', run: async (emu: Env['emu'], hsmArn: string) => {
      await expectRefusal(emu.createPartition({ ...partition(hsmArn), partitionName: 'no spaces' }), 'RC_INVALID_PARAMETER');
    } },
  ])('refuses $name', async ({ run }) => {
    const { emu, hsmArn } = await hsmWithClient();
    await run(emu, hsmArn);
  });

  it('refuses SO operations on a zeroized HSM', async () => {
    const { emu } = testWorld();
    const { hsmArn } = await emu.createHsm({ clientToken: 'a', availabilityZone: 'us-east-1a' });
    await expectRefusal(emu.createPartition(partition(hsmArn)), 'LUNA_RET_HSM_ZEROIZED');
    await expectRefusal(emu.hsmLogin(hsmArn, SO_PASSWORD), 'LUNA_RET_HSM_ZEROIZED');
    expect((await emu.describe()).hsms[0]?.soLoginAttemptsLeft).toBe(3);
  });
});

describe('clients on the appliance', () => {
  it('registers a client with its certificate, assigns, revokes and deletes it', async () => {
    const { emu, hsmArn } = await hsmWithClient();
    await emu.createPartition(partition(hsmArn));
    await emu.registerClientOnHsm({ hsmArn, clientName: 'app-1', hostname: 'app-1.example' });
    await emu.assignPartition({ hsmArn, clientName: 'app-1', partitionName: 'p1' });
    let fleet = await emu.describe();
    expect(fleet.hsms[0]?.clients).toEqual([
      { id: 'app-1', hostname: 'app-1.example', certificateFingerprint: fleet.clients[0]?.certificateFingerprint, partitions: ['p1'] },
    ]);
    await emu.revokePartition({ hsmArn, clientName: 'app-1', partitionName: 'p1' });
    expect((await emu.describe()).hsms[0]?.clients[0]?.partitions).toEqual([]);
    await emu.deleteClientOnHsm({ hsmArn, clientName: 'app-1' });
    fleet = await emu.describe();
    expect(fleet.hsms[0]?.clients).toEqual([]);
  });

  it.each([
    { name: 'registering a client without a certificate', code: 'ResourceNotFound', run: (e: Env) => e.emu.registerClientOnHsm({ hsmArn: e.hsmArn, clientName: 'ghost', hostname: 'g' }) },
    { name: 'registering a client twice', code: 'RC_OBJECT_ALREADY_EXISTS', run: (e: Env) => e.emu.registerClientOnHsm({ hsmArn: e.hsmArn, clientName: 'app-1', hostname: 'x' }) },
    { name: 'assigning to an unregistered client', code: 'RC_OBJECT_NOT_IN_LIST', run: (e: Env) => e.emu.assignPartition({ hsmArn: e.hsmArn, clientName: 'other', partitionName: 'p1' }) },
    { name: 'assigning an unknown partition', code: 'RC_OBJECT_NOT_IN_LIST', run: (e: Env) => e.emu.assignPartition({ hsmArn: e.hsmArn, clientName: 'app-1', partitionName: 'p9' }) },
    { name: 'assigning twice', code: 'RC_OBJECT_ALREADY_EXISTS', run: (e: Env) => e.emu.assignPartition({ hsmArn: e.hsmArn, clientName: 'app-1', partitionName: 'p1' }) },
    { name: 'revoking what is not assigned', code: 'RC_OBJECT_NOT_IN_LIST', run: (e: Env) => e.emu.revokePartition({ hsmArn: e.hsmArn, clientName: 'app-1', partitionName: 'p2' }) },
    { name: 'deleting an unregistered client', code: 'RC_OBJECT_NOT_IN_LIST', run: (e: Env) => e.emu.deleteClientOnHsm({ hsmArn: e.hsmArn, clientName: 'other' }) },
  ])('refuses $name', async ({ code, run }) => {
    const env = await hsmWithClient();
    await env.emu.createPartition(partition(env.hsmArn));
    await env.emu.createPartition({ ...partition(env.hsmArn), partitionName: 'p2' });
    await env.emu.registerClientOnHsm({ hsmArn: env.hsmArn, clientName: 'app-1', hostname: 'app-1' });
    await env.emu.assignPartition({ hsmArn: env.hsmArn, clientName: 'app-1', partitionName: 'p1' });
    const before = await env.emu.describe();
    await expectRefusal(run(env), code);
    expect(await env.emu.describe()).toEqual(before);
  });
});

describe('zeroize and unreachable appliances', () => {
  it('zeroize wipes label, partitions and registered clients', async () => {
    const { emu, hsmArn } = await hsmWithClient();
    await emu.createPartition(partition(hsmArn));
    await emu.registerClientOnHsm({ hsmArn, clientName: 'app-1', hostname: 'app-1' });
    await emu.zeroizeHsm(hsmArn);
    expect((await emu.describe()).hsms[0]).toMatchObject({ zeroized: true, label: null, partitions: [], clients: [] });
  });

  it.each(['power', 'network'] as const)('refuses every appliance operation with a retryable error after %s loss, and lists the HSM as unreachable', async (mode) => {
    const { emu, hsmArn } = await hsmWithClient();
    await emu.createPartition(partition(hsmArn));
    await emu.fail(hsmArn, mode);
    const operations = [
      emu.hsmLogin(hsmArn, SO_PASSWORD),
      emu.zeroizeHsm(hsmArn),
      emu.createPartition({ ...partition(hsmArn), partitionName: 'p2' }),
      emu.deletePartition({ hsmArn, partitionName: 'p1', soPassword: SO_PASSWORD }),
      emu.registerClientOnHsm({ hsmArn, clientName: 'app-1', hostname: 'h' }),
      emu.assignPartition({ hsmArn, clientName: 'app-1', partitionName: 'p1' }),
      emu.revokePartition({ hsmArn, clientName: 'app-1', partitionName: 'p1' }),
      emu.deleteClientOnHsm({ hsmArn, clientName: 'app-1' }),
      emu.addServer({ clientName: 'app-1', hsmArn }),
    ];
    for (const op of operations) {
      const err = await expectRefusal(op, 'LUNA_RET_DEVICE_ERROR', 'does not answer');
      expect(err.retryable).toBe(true);
    }
    const [hsm] = (await emu.describe()).hsms;
    expect(hsm).toMatchObject({ status: 'DEGRADED', reachability: mode === 'power' ? 'power-lost' : 'network-lost', partitions: [], soLoginAttemptsLeft: 3 });
    await emu.restore(hsmArn);
    const [back] = (await emu.describe()).hsms;
    expect(back).toMatchObject({ status: 'RUNNING', reachability: 'reachable' });
    expect(back?.partitions.map((p) => p.name)).toEqual(['p1']);
  });

  it('tells whether a cloning domain is the HSM\'s without spending an attempt', async () => {
    const { emu, hsmArn } = await hsmWithClient();
    expect(await emu.verifyCloningDomain(hsmArn, CLONING_DOMAIN)).toBe(true);
    expect(await emu.verifyCloningDomain(hsmArn, 'another')).toBe(false);
    expect((await emu.describe()).hsms[0]?.soLoginAttemptsLeft).toBe(3);
    await emu.zeroizeHsm(hsmArn);
    expect(await emu.verifyCloningDomain(hsmArn, CLONING_DOMAIN)).toBe(false);
  });
});

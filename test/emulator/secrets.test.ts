import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../src/errors.js';
import { CLONING_DOMAIN, PARTITION_PASSWORD, SO_PASSWORD, haFleet, testWorld } from './fixtures.js';

const secrets = [SO_PASSWORD, CLONING_DOMAIN, PARTITION_PASSWORD];

describe('secrets', () => {
  it('are never stored: the whole state holds none of them, only salted hashes', async () => {
    const { emu } = testWorld();
    const { hsmArns, hapgArn } = await haFleet(emu, 2, { retry: 3, interval: 60 });
    await emu.createPartition({ hsmArn: hsmArns[0] ?? '', partitionName: 'p', partitionPassword: PARTITION_PASSWORD, cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD });
    await emu.hsmLogin(hsmArns[1] ?? '', SO_PASSWORD);
    await emu.createKey({ clientName: 'app-1', hapgLabel: 'hapg1', label: 'k' });
    const state = JSON.stringify(await emu.store.read());
    for (const secret of secrets) {
      expect(state).not.toContain(secret);
      expect(state).not.toContain(Buffer.from(secret).toString('hex'));
      expect(state).not.toContain(Buffer.from(secret).toString('base64'));
    }
    // Salted: the same SO password hashes differently on the two HSMs.
    const hsms = Object.values((await emu.store.read()).collections['hsms'] ?? {}) as { soPasswordHash: { hash: string } }[];
    expect(hsms.map((h) => h.soPasswordHash.hash)).toHaveLength(2);
    expect(hsms[0]?.soPasswordHash.hash).not.toBe(hsms[1]?.soPasswordHash.hash);
    const described = JSON.stringify(await emu.describe());
    for (const secret of secrets) expect(described).not.toContain(secret);
    expect(described).not.toContain('Hash');
    expect(hapgArn).toBeTruthy();
  });

  it('never appear in refusals', async () => {
    const { emu } = testWorld();
    const { hsmArns, hapgArn } = await haFleet(emu, 1);
    const attempts = [
      emu.hsmLogin(hsmArns[0] ?? '', `${SO_PASSWORD}-wrong`),
      emu.addHsmToHapg({ hsmArn: hsmArns[0] ?? '', hapgArn, cloningDomain: `${CLONING_DOMAIN}-x`, partitionPassword: PARTITION_PASSWORD, soPassword: SO_PASSWORD }),
      emu.initializeHsm({ hsmArn: hsmArns[0] ?? '', label: 'x', cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD }),
    ];
    for (const attempt of attempts) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeviceError);
      for (const secret of secrets) expect((err as Error).message).not.toContain(secret);
    }
  });
});

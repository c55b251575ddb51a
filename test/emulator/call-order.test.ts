import { describe, expect, it } from 'vitest';
import { managedTags } from '../../src/fleet/tags.js';
import { CLONING_DOMAIN, SO_PASSWORD, testWorld } from './fixtures.js';

/**
 * Device operations reach the world in the order they were called, even when one of them first
 * hashes the secrets it stores (on the thread pool, during the emulated latency) and the next has
 * nothing to hash: member order, serials and outcomes stay as deterministic as the calls.
 */
describe('device operations under latency', () => {
  it('take effect in call order, whatever their secrets cost to hash', async () => {
    const { emu } = testWorld();
    const { hsmArn } = await emu.createHsm({ clientToken: 't-a', availabilityZone: 'us-east-1a', tags: managedTags('hsm-a') });
    await emu.setLatency(1); // far shorter than hashing two secrets
    const initialize = emu.initializeHsm({ hsmArn, label: 'hsm-a', cloningDomain: CLONING_DOMAIN, soPassword: SO_PASSWORD });
    const zeroize = emu.zeroizeHsm(hsmArn); // called second, nothing to hash
    await Promise.allSettled([initialize, zeroize]);
    await expect(initialize).resolves.toBeUndefined();
    const [hsm] = (await emu.describe()).hsms;
    expect(hsm?.zeroized).toBe(true); // initialized first, then zeroized, as called
  });
});

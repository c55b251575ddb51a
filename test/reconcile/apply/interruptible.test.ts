import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { interruptible } from '../../../src/reconcile/apply/interruptible.js';
import { STOPPED } from '../../../src/reconcile/apply/result.js';
import { memoryWorld } from './world.js';

describe('interruptible driver', () => {
  it('once stopping, refuses every device operation as stopped, and still reads the fleet', async () => {
    const emu = memoryWorld();
    const stopping = new AbortController();
    const driver = interruptible(emu, stopping.signal);
    await driver.createHapg({ label: 'hapg1' });
    stopping.abort();

    const refused = await driver.createHapg({ label: 'hapg2' }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).code).toBe(STOPPED);
    const world = await driver.describe();
    expect(world.hapgs.map((g) => g.label)).toEqual(['hapg1']);
    // Reaches the device, which answers for itself (here: no such HSM).
    const answer = await driver.verifyCloningDomain('arn:aws:cloudhsm:us-east-1:000000000000:hsm-00000000', 'x').catch((err: unknown) => err);
    expect(answer).toMatchObject({ code: 'ResourceNotFound' });
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import { DeviceError } from '../../../src/errors.js';
import { MIN_ATTEMPTS_LEFT, SoGuard } from '../../../src/reconcile/actions/so-guard.js';

const target = { arn: 'arn:aws:cloudhsm:us-east-1:123456789012:hsm-1a2b3c4d', name: 'hsm-a', soPassword: new Secret('so-S3cr3t', { env: 'HSM_SO_PASSWORD' }) };
const pinIncorrect = () => new DeviceError('LUNA_RET_UM_PIN_INCORRECT', 'A00000 : LUNA_RET_UM_PIN_INCORRECT');

describe('SoGuard', () => {
  it('never logs in with fewer than two attempts left', async () => {
    expect(MIN_ATTEMPTS_LEFT).toBe(2);
    const guard = new SoGuard();
    let ran = 0;
    const step = async () => void ran++;
    await expect(guard.run(target, async () => 1, step)).rejects.toThrow(
      /refusing to log in as SO on hsm hsm-a: only 1 SO login attempt left.*\(env HSM_SO_PASSWORD\)/,
    );
    await expect(guard.run(target, async () => 0, step)).rejects.toThrow(/only 0 SO login attempts left/);
    await guard.run(target, async () => 2, step);
    expect(ran).toBe(1);
  });

  it('after one refused password, refuses every later SO step on that HSM without running it', async () => {
    const guard = new SoGuard();
    let tries = 0;
    const wrong = async () => {
      tries++;
      throw pinIncorrect();
    };
    const first = guard.run(target, async () => 3, wrong);
    const second = guard.run(target, async () => 2, wrong);
    await expect(first).rejects.toMatchObject({ code: 'LUNA_RET_UM_PIN_INCORRECT', message: expect.stringContaining('refused the configured SO password (env HSM_SO_PASSWORD)') });
    await expect(second).rejects.toMatchObject({ code: 'so.stopped' });
    expect(tries).toBe(1);
    expect(guard.refusedOn(target.arn)).toContain('LUNA_RET_UM_PIN_INCORRECT');
    // Other HSMs are not affected.
    await expect(guard.run({ ...target, arn: `${target.arn}-other` }, async () => 3, async () => 'ok')).resolves.toBe('ok');
  });

  it('a corrected password is tried; the refused one is not, whatever refers to it', async () => {
    const guard = new SoGuard();
    await expect(guard.run(target, async () => 3, async () => Promise.reject(pinIncorrect()))).rejects.toMatchObject({ code: 'LUNA_RET_UM_PIN_INCORRECT' });
    const sameValue = { ...target, soPassword: new Secret('so-S3cr3t', { file: 'secrets/so.txt' }) };
    await expect(guard.run(sameValue, async () => 2, async () => 'tried')).rejects.toMatchObject({ code: 'so.stopped' });
    const corrected = { ...target, soPassword: new Secret('so-R1ght', { env: 'HSM_SO_PASSWORD' }) };
    await expect(guard.run(corrected, async () => 2, async () => 'tried')).resolves.toBe('tried');
  });

  it('runs one SO step per HSM at a time, and reads the attempts left only when its turn comes', async () => {
    const guard = new SoGuard();
    const log: string[] = [];
    const step = (name: string) => async () => {
      log.push(`${name} start`);
      await sleep(10);
      log.push(`${name} end`);
    };
    const attempts = (name: string) => async () => (log.push(`${name} reads attempts`), 3);
    await Promise.all([guard.run(target, attempts('a'), step('a')), guard.run(target, attempts('b'), step('b'))]);
    expect(log).toEqual(['a reads attempts', 'a start', 'a end', 'b reads attempts', 'b start', 'b end']);
  });

  it('other failures pass through and do not stop later logins', async () => {
    const guard = new SoGuard();
    await expect(guard.run(target, async () => 3, async () => Promise.reject(new DeviceError('InvalidRequestException', 'nope')))).rejects.toThrow('nope');
    await expect(guard.run(target, async () => 3, async () => 'ok')).resolves.toBe('ok');
    expect(guard.refusedOn(target.arn)).toBeUndefined();
  });
});

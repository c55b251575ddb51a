import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAME_TAG, PROTECT_TAG } from '../../src/fleet/tags.js';
import type { ObservedFleet } from '../../src/fleet/types.js';
import { workspace, type Workspace } from '../reconcile/apply/fixtures.js';

/** A protected HSM whose block is removed from the configuration stays protected, through the CLI. */

const hsmNamed = (w: ObservedFleet, name: string) => w.hsms.find((h) => h.tags[NAME_TAG] === name);

/** The quickstart's fleet.yaml with hsm-c declared beside the others (`protect` as given), or without it (`null`). */
function writeHsmC(ws: Workspace, base: string, protect: boolean | null): void {
  const hsmC = protect === null
    ? ''
    : `  - name: hsm-c\n    availabilityZone: us-east-1c\n    cloningDomain: { file: secrets/cloning-domain.txt }\n    soPassword: { file: secrets/so-password.txt }\n    protect: ${protect}\n`;
  ws.write('fleet.yaml', base.replace('\nhapgs:', `${hsmC}\nhapgs:`));
}

describe('apply: protect: true outlives the HSM\'s block', () => {
  it('refuses to destroy a protected HSM whose block was removed; declared again with protect: false, it can be removed', async () => {
    const ws = workspace();
    const base = readFileSync(join(ws.config, 'fleet.yaml'), 'utf8');
    writeHsmC(ws, base, true);
    expect((await ws.cli(['apply', 'quickstart', '--auto-approve'])).code).toBe(0);
    expect(hsmNamed(await ws.emulator().describe(), 'hsm-c')?.tags[PROTECT_TAG]).toBe('true');

    writeHsmC(ws, base, null);
    const refused = await ws.cli(['apply', 'quickstart', '--auto-approve', '--allow-destroy']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      'hsm.delete hsm-c: hsm hsm-c is protected (its hsmctl:protect tag, from protect: true) and cannot be deleted; declare it again with protect: false and apply, then remove it',
    );
    expect(refused.out).not.toContain('Zeroizing');
    expect(refused.err).toContain('the plan was refused as a whole; nothing was changed');
    expect(hsmNamed(await ws.emulator().describe(), 'hsm-c')).toMatchObject({ zeroized: false, status: 'RUNNING' });

    writeHsmC(ws, base, false);
    const unprotected = await ws.cli(['apply', 'quickstart', '--auto-approve']);
    expect(unprotected.code, unprotected.out + unprotected.err).toBe(0);
    expect(unprotected.out).toContain('hsm.hsm-c.protect');
    expect(hsmNamed(await ws.emulator().describe(), 'hsm-c')?.tags).not.toHaveProperty(PROTECT_TAG);

    writeHsmC(ws, base, null);
    const removed = await ws.cli(['apply', 'quickstart', '--auto-approve', '--allow-destroy']);
    expect(removed.code, removed.out + removed.err).toBe(0);
    expect(removed.out).toMatch(/Apply complete! Resources: 0 added, 0 changed, 2 destroyed\./);
    expect(hsmNamed(await ws.emulator().describe(), 'hsm-c')).toBeUndefined();
  });
});

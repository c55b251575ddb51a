import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { FleetStatus } from '../../src/status/index.js';
import { captureIo } from '../helpers/io.js';
import { convergedState, desiredOf, exampleCopy, T0, tempDir } from './converge.js';
import { runStatus } from '../../src/cli/status.js';

/**
 * The converged world of the golden tests stands for what `hsmctl apply` builds: after a real
 * apply, status reports the same health, sync and settings as for the helper's world.
 */

function shape(s: FleetStatus) {
  return {
    health: s.health,
    sync: { status: s.sync.status, reasons: s.sync.reasons, planChanges: s.sync.planChanges },
    hapgs: s.hapgs.map((g) => ({ label: g.label, health: g.health, sync: g.sync, counts: g.counts, members: g.members.map((m) => [m.hsm, m.state]) })),
    hsms: s.hsms.map((h) => ({ name: h.name, status: h.status, reachability: h.reachability, zeroized: h.zeroized, az: h.availabilityZone })),
    clients: s.clients.map((c) => ({ name: c.name, groups: c.groups, ha: c.ha, members: c.members.map((m) => [m.hsm, m.state, m.attempts]) })),
  };
}

it('status after hsmctl apply matches status of the helper-converged world', async () => {
  const config = await exampleCopy('quickstart');
  const applied = await tempDir('applied');
  const io = captureIo({ cwd: config });
  expect(await runCli(['apply', '--auto-approve', '--state', applied], io)).toBe(0);

  const afterApply = captureIo({ cwd: config });
  expect(await runCli(['status', '--json', '--state', applied], afterApply)).toBe(0);
  const helper = captureIo({ cwd: config });
  expect(await runStatus(['--json', '--state', await convergedState(await desiredOf(config))], helper, { now: () => T0 })).toBe(0);

  const a = shape(JSON.parse(afterApply.out()) as FleetStatus);
  expect(a.sync.status).toBe('Synced');
  expect(a).toEqual(shape(JSON.parse(helper.out()) as FleetStatus));
});

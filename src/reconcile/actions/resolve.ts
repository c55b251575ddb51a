import type { DesiredHapg, DesiredHsm } from '../../config/types.js';
import { DeviceError, InternalError, UserError } from '../../errors.js';
import { isManaged, NAME_TAG } from '../../fleet/tags.js';
import type { ClientInstance, Hapg, Hsm, ObservedFleet } from '../../fleet/types.js';
import type { ActionContext } from './types.js';

/**
 * Names → ARNs at the moment an action runs. A plan carries the ARNs that existed when it was
 * made; what the plan itself creates is found by hsmctl's tags (`hsmctl:name`), exactly as the
 * planner pairs resources, so an action works the same in the run that created its target and in
 * a run after a crash.
 */

const byArn = (a: { arn: string }, b: { arn: string }): number => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);

function gone(status: Hsm['status']): boolean {
  return status === 'TERMINATED' || status === 'TERMINATING';
}

/** The managed HSM named `name` (the first by ARN, as the planner pairs them). */
export function managedHsm(fleet: ObservedFleet, name: string): Hsm | undefined {
  return [...fleet.hsms].sort(byArn).find((h) => !gone(h.status) && isManaged(h.tags) && h.tags[NAME_TAG] === name);
}

/** The managed HAPG labelled `label` in configuration. */
export function managedHapg(fleet: ObservedFleet, label: string): Hapg | undefined {
  return [...fleet.hapgs].sort(byArn).find((g) => isManaged(g.tags) && g.tags[NAME_TAG] === label);
}

/** The HSM an action is about: by the ARN the plan recorded, else by name. */
export function findHsmOf(fleet: ObservedFleet, p: { hsmName: string; hsmArn?: string }): Hsm | undefined {
  if (p.hsmArn !== undefined) return fleet.hsms.find((h) => h.arn === p.hsmArn && !gone(h.status));
  return managedHsm(fleet, p.hsmName);
}

/** The HAPG an action is about: by the ARN the plan recorded, else by label. */
export function findHapgOf(fleet: ObservedFleet, p: { hapgLabel: string; hapgArn?: string }): Hapg | undefined {
  if (p.hapgArn !== undefined) return fleet.hapgs.find((g) => g.arn === p.hapgArn);
  return managedHapg(fleet, p.hapgLabel);
}

/** The client instance named `name`. */
export function findClient(fleet: ObservedFleet, name: string): ClientInstance | undefined {
  return fleet.clients.find((c) => c.name === name);
}

/** Like `findHsmOf`, but the HSM must exist (an earlier action made it). */
export function requireHsmOf(fleet: ObservedFleet, p: { hsmName: string; hsmArn?: string }): Hsm {
  const hsm = findHsmOf(fleet, p);
  if (hsm === undefined) throw new UserError('apply.missing', `hsm ${p.hsmName} does not exist${p.hsmArn ? ` (${p.hsmArn})` : ''}; run "hsmctl plan" to see why`);
  return hsm;
}

/** Like `findHapgOf`, but the HAPG must exist. */
export function requireHapgOf(fleet: ObservedFleet, p: { hapgLabel: string; hapgArn?: string }): Hapg {
  const hapg = findHapgOf(fleet, p);
  if (hapg === undefined) throw new UserError('apply.missing', `hapg ${p.hapgLabel} does not exist${p.hapgArn ? ` (${p.hapgArn})` : ''}; run "hsmctl plan" to see why`);
  return hapg;
}

/** The client, which must exist and have a control-plane identity (`create-client`). */
export function requireClientArn(fleet: ObservedFleet, name: string): { client: ClientInstance; arn: string } {
  const client = findClient(fleet, name);
  if (client?.arn == null) throw new UserError('apply.missing', `client ${name} has no client identity in CloudHSM; run "hsmctl plan" to see why`);
  return { client, arn: client.arn };
}

/** The declared HSM (its secrets are needed for the device call). */
export function desiredHsm(ctx: ActionContext, name: string): DesiredHsm {
  const hsm = ctx.desired.hsms.find((h) => h.name === name);
  if (hsm === undefined) throw new InternalError(`the plan needs the secrets of hsm ${name}, which the configuration does not declare`);
  return hsm;
}

/** The declared HAPG (its partition password is needed for the device call). */
export function desiredHapg(ctx: ActionContext, label: string): DesiredHapg {
  const hapg = ctx.desired.hapgs.find((g) => g.label === label);
  if (hapg === undefined) throw new InternalError(`the plan needs the partition password of hapg ${label}, which the configuration does not declare`);
  return hapg;
}

/** The partition `add-hsm-to-hapg` made for this member, per the HAPG's member record. */
export function memberPartition(hapg: Hapg, hsm: Hsm): string | undefined {
  return hapg.members.find((m) => m.hsmArn === hsm.arn)?.partitionName;
}

/**
 * Throws unless the HSM's appliance answers: what an unreachable appliance holds is unknown (the
 * driver reports it empty), so no check of it may conclude that something is or is not there.
 */
export function requireReachable(hsm: Hsm, name: string): Hsm {
  if (hsm.reachability !== 'reachable' || hsm.status === 'PENDING') {
    const why = hsm.status === 'PENDING' ? 'still being provisioned' : hsm.reachability;
    throw new DeviceError('LUNA_RET_DEVICE_ERROR', `hsm ${name} (${hsm.eniIp}) does not answer (${why}); apply again once it is back`, { retryable: true });
  }
  return hsm;
}

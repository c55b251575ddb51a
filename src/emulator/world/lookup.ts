import { NAME_TAG } from '../../fleet/tags.js';
import { notFound } from '../errors.js';
import type { ClientDoc, HapgDoc, HsmDoc } from './types.js';
import type { World } from './world.js';

/**
 * Finding resources the way the real tools and a person name them: an HSM by ARN, id
 * (`hsm-1a2b3c4d`), serial, configuration name (`hsmctl:name` tag) or label; a HAPG by ARN, id or
 * label; a client by name, ARN or id. The `require…` forms throw `ResourceNotFound`.
 */

const tail = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

export function findHsm(world: World, ref: string): HsmDoc | undefined {
  // An ARN (what the reconciler passes) ends in the id the world is keyed by.
  const byArn = world.hsms[tail(ref)];
  if (byArn !== undefined && byArn.arn === ref) return byArn;
  const all = Object.values(world.hsms);
  return (
    all.find((h) => h.arn === ref || h.id === ref || h.serial === ref) ??
    all.find((h) => h.tags[NAME_TAG] === ref) ??
    all.find((h) => h.label === ref)
  );
}

export function requireHsm(world: World, ref: string): HsmDoc {
  const hsm = findHsm(world, ref);
  if (hsm === undefined) throw notFound('HSM', ref);
  return hsm;
}

export function findHapg(world: World, ref: string): HapgDoc | undefined {
  const all = Object.values(world.hapgs);
  return all.find((g) => g.arn === ref || g.id === ref) ?? all.find((g) => g.label === ref);
}

export function requireHapg(world: World, ref: string): HapgDoc {
  const hapg = findHapg(world, ref);
  if (hapg === undefined) throw notFound('HA partition group', ref);
  return hapg;
}

export function findClient(world: World, ref: string): ClientDoc | undefined {
  return (
    world.clients[ref] ??
    Object.values(world.clients).find((c) => c.arn !== null && (c.arn === ref || tail(c.arn) === ref))
  );
}

/** A client instance (by name) that exists, i.e. had `vtl createCert` run. */
export function requireClient(world: World, ref: string): ClientDoc {
  const client = findClient(world, ref);
  if (client === undefined) throw notFound('Client', ref);
  return client;
}

/** A client known to the control plane (`create-client` ran), by ARN. */
export function requireClientArn(world: World, arn: string): ClientDoc & { arn: string } {
  const client = findClient(world, arn);
  if (client === undefined || client.arn === null) throw notFound('Client', arn);
  return client as ClientDoc & { arn: string };
}

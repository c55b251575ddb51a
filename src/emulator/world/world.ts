import { randomBytes } from 'node:crypto';
import { UserError } from '../../errors.js';
import type { Snapshot } from '../store/types.js';
import { accountId } from './ids.js';
import { FORMAT_VERSION } from './types.js';
import type { ClientDoc, HapgDoc, HsmDoc, WorldMeta } from './types.js';

/**
 * A typed view over a store snapshot: the documents are the snapshot's own objects, so changing
 * the world changes the snapshot in place and the store writes exactly the documents that differ.
 */
export interface World {
  meta: WorldMeta;
  /** By HSM id (`hsm-…`). */
  hsms: Record<string, HsmDoc>;
  /** By HAPG id (`hapg-…`). */
  hapgs: Record<string, HapgDoc>;
  /** By client instance name. */
  clients: Record<string, ClientDoc>;
}

/** What every world operation is given: the world and the virtual time it happens at. */
export interface Ctx {
  world: World;
  /** Virtual now, ms since the epoch. */
  now: number;
}

/** The meta document of an empty world. */
export function freshMeta(seed: string = randomBytes(16).toString('hex')): WorldMeta {
  const meta: WorldMeta = {
    formatVersion: FORMAT_VERSION,
    region: 'us-east-1',
    account: '',
    seed,
    counter: 0,
    created: 0,
    clockOffsetMs: 0,
    latencyMs: 0,
    provisioningMs: 0,
    subnets: {},
  };
  meta.account = accountId(meta);
  return meta;
}

/** The world held by `snapshot`; an empty snapshot becomes a fresh world. */
export function worldOf(snapshot: Snapshot, seed?: string): World {
  const version = snapshot.meta['formatVersion'];
  if (version === undefined) Object.assign(snapshot.meta, freshMeta(seed));
  else if (typeof version !== 'number' || version > FORMAT_VERSION) {
    throw new UserError(
      'state.version',
      `The state in this directory has format version ${String(version)}; this hsmctl reads version ${FORMAT_VERSION} at most. Upgrade hsmctl.`,
    );
  }
  const collection = <T>(name: string): Record<string, T> =>
    (snapshot.collections[name] ??= {}) as unknown as Record<string, T>;
  return {
    meta: snapshot.meta as unknown as WorldMeta,
    hsms: collection<HsmDoc>('hsms'),
    hapgs: collection<HapgDoc>('hapgs'),
    clients: collection<ClientDoc>('clients'),
  };
}

/** Empties the snapshot: every document deleted, a fresh meta document. */
export function resetSnapshot(snapshot: Snapshot, seed?: string): void {
  for (const docs of Object.values(snapshot.collections)) {
    for (const id of Object.keys(docs)) delete docs[id];
  }
  for (const key of Object.keys(snapshot.meta)) delete snapshot.meta[key];
  Object.assign(snapshot.meta, freshMeta(seed));
}

/** Virtual now for a wall-clock reading. */
export function virtualNow(meta: WorldMeta, wallMs: number): number {
  return wallMs + meta.clockOffsetMs;
}

import { createHash } from 'node:crypto';
import { Secret } from '../config/secret.js';
import type { DesiredFleet } from '../config/types.js';
import { shortId } from '../fleet/resolve.js';
import { isManaged, NAME_TAG } from '../fleet/tags.js';
import type { ClientInstance, Hapg, Hsm, ObservedFleet } from '../fleet/types.js';

/**
 * Fingerprints for saved plans (SPEC §5): the SHA-256 of the canonical JSON (keys sorted, no
 * spaces) of each observed resource and of the configuration. Volatile fields that change with
 * time alone (the observation time, HA retry timers and counters) are left out, so a plan goes
 * stale only when something that matters changed. Secrets are never hashed: a configured secret
 * counts by its reference, and the cloning domain by whether the device accepts it.
 */

/** JSON with object keys sorted at every level; a `Secret` becomes its reference. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value instanceof Secret) return { secret: value.ref };
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

/** `sha256:<hex>` of a value's canonical JSON. */
export function fingerprintOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/** The configuration's fingerprint: what it declares, not where (source positions and file list are left out). */
export function configFingerprint(desired: DesiredFleet): string {
  const strip = <T extends { source: unknown }>(item: T): Omit<T, 'source'> => {
    const { source: _source, ...rest } = item;
    return rest;
  };
  return fingerprintOf({
    hsms: desired.hsms.map(strip),
    hapgs: desired.hapgs.map(strip),
    clients: desired.clients.map(strip),
    autoRecovery: desired.autoRecovery ?? null,
  });
}

function hsmFields(h: Hsm, mismatch: boolean): unknown {
  return mismatch ? { ...h, cloningDomainMatches: false } : h;
}

function clientFields(c: ClientInstance): unknown {
  return {
    ...c,
    // Retry timers and attempt counters move with the clock alone.
    haStatus: c.haStatus.map((g) => ({ ...g, members: g.members.map(({ nextAttemptAt: _n, attempts: _a, ...m }) => m) })),
  };
}

function hapgFields(g: Hapg): unknown {
  return g;
}

/**
 * Each observed resource's fingerprint by address: `hsm.<name>` / `hapg.<label>` for what hsmctl
 * manages (its `hsmctl:name` tag), `hsm.<short id>` / `hapg.<short id>` for the rest, and
 * `client.<name>`. `cloningDomainMismatch` names the HSMs whose cloning domain differs from the
 * configured one (a fact about the device the plan depends on).
 */
export function resourceFingerprints(observed: ObservedFleet, cloningDomainMismatch: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (address: string, arn: string, value: unknown): void => {
    const key = out[address] === undefined ? address : `${address}#${shortId(arn)}`;
    out[key] = fingerprintOf(value);
  };
  const nameOf = (r: { arn: string; tags: Record<string, string> }): string => (isManaged(r.tags) ? (r.tags[NAME_TAG] ?? shortId(r.arn)) : shortId(r.arn));
  const mismatch = new Set(cloningDomainMismatch);
  for (const h of [...observed.hsms].sort((a, b) => (a.arn < b.arn ? -1 : 1))) {
    const name = nameOf(h);
    put(`hsm.${name}`, h.arn, hsmFields(h, isManaged(h.tags) && mismatch.has(name)));
  }
  for (const g of [...observed.hapgs].sort((a, b) => (a.arn < b.arn ? -1 : 1))) put(`hapg.${nameOf(g)}`, g.arn, hapgFields(g));
  for (const c of observed.clients) put(`client.${c.name}`, c.name, clientFields(c));
  return out;
}

/** What differs between two sets of resource fingerprints, as phrases naming each resource. */
export function changedResources(saved: Record<string, string>, now: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [address, fp] of Object.entries(saved)) {
    if (now[address] === undefined) out.push(`${address} was removed`);
    else if (now[address] !== fp) out.push(`${address} changed`);
  }
  for (const address of Object.keys(now)) if (saved[address] === undefined) out.push(`${address} was added`);
  return out.sort();
}

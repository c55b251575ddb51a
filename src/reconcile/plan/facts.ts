import type { DesiredClient, DesiredFleet, DesiredHapg, DesiredHsm } from '../../config/types.js';
import type { ClientInstance, Hapg, Hsm, ObservedFleet } from '../../fleet/types.js';
import { isManaged, NAME_TAG } from '../../fleet/tags.js';
import { shortId } from '../../fleet/resolve.js';
import { compareText } from './kinds.js';
import type { PlanOptions, UnmanagedResource, UnreachableHsm } from './types.js';

/**
 * Desired and observed resources paired up. HSMs and HAPGs pair by hsmctl's tags (managed, and
 * `hsmctl:name` equal to the configured name or label); client instances pair by name. Observed
 * resources hsmctl owns that the configuration no longer declares are kept as `leave`; the rest
 * that it does not own are reported as unmanaged.
 */

/** What becomes of an HSM. */
export type HsmVerdict =
  /** declared, not there: create-hsm then initialize-hsm */
  | 'create'
  /** there and zeroized: initialize-hsm */
  | 'initialize'
  /** initialized with the wrong label or cloning domain: zeroize then initialize */
  | 'replace'
  /** initialized as declared */
  | 'steady'
  /** cannot be reached: nothing planned that needs the device */
  | 'unreachable'
  /** managed and no longer declared: zeroize and delete */
  | 'leave';

/** One HSM, declared or managed or both. */
export interface HsmFacts {
  /** Name in configuration; the short id for a managed HSM without a usable name tag. */
  name: string;
  /** As declared; undefined when it left the configuration. */
  desired: DesiredHsm | undefined;
  /** As observed; undefined when it does not exist yet. */
  observed: Hsm | undefined;
  /** What the plan does with it. */
  verdict: HsmVerdict;
}

/** What becomes of a HAPG or a client: created, kept, or removed. */
export type SimpleVerdict = 'create' | 'steady' | 'leave';

/** One HAPG, declared or managed or both. */
export interface HapgFacts {
  /** Label in configuration; the short id for a managed HAPG without a usable name tag. */
  label: string;
  /** As declared; undefined when it left the configuration. */
  desired: DesiredHapg | undefined;
  /** As observed; undefined when it does not exist yet. */
  observed: Hapg | undefined;
  /** What the plan does with it. */
  verdict: SimpleVerdict;
}

/** One client instance, declared or managed or both. */
export interface ClientFacts {
  /** Instance name. */
  name: string;
  /** As declared; undefined when it left the configuration. */
  desired: DesiredClient | undefined;
  /** As observed; `create` when absent or without a control-plane identity (ARN). */
  observed: ClientInstance | undefined;
  /** What the plan does with it. */
  verdict: SimpleVerdict;
}

/** The paired fleets and the lookups every planning stage uses. */
export interface Facts {
  /** The planner's inputs. */
  desired: DesiredFleet;
  observed: ObservedFleet;
  options: PlanOptions;
  /** HSMs by name: the declared ones in name order, then managed ones that left the configuration. */
  hsms: Map<string, HsmFacts>;
  /** The same, by ARN of the observed HSM. */
  hsmByArn: Map<string, HsmFacts>;
  /** HAPGs by label: the declared ones in label order, then managed ones that left. */
  hapgs: Map<string, HapgFacts>;
  /** Clients by name: the declared ones in name order, then managed ones that left. */
  clients: Map<string, ClientFacts>;
  /** Resources without hsmctl's tags. */
  unmanaged: UnmanagedResource[];
  /** Observed HSMs that do not answer. */
  unreachable: UnreachableHsm[];
  /** Found while pairing (e.g. a declared client that exists untagged). */
  warnings: string[];
}

export function gatherFacts(desired: DesiredFleet, observed: ObservedFleet, options: PlanOptions): Facts {
  const facts: Facts = {
    desired,
    observed,
    options,
    hsms: new Map(),
    hsmByArn: new Map(),
    hapgs: new Map(),
    clients: new Map(),
    unmanaged: [],
    unreachable: [],
    warnings: [],
  };
  pairHsms(facts);
  pairHapgs(facts);
  pairClients(facts);
  return facts;
}

/** Managed resources by their name tag; several with one name keep the first by ARN. */
function claim<T extends { arn: string; tags: Record<string, string> }>(items: T[], declared: Set<string>) {
  const byName = new Map<string, T>();
  const leaving: { name: string; item: T }[] = [];
  for (const item of [...items].sort((a, b) => compareText(a.arn, b.arn))) {
    if (!isManaged(item.tags)) continue;
    const name = item.tags[NAME_TAG];
    if (name !== undefined && declared.has(name) && !byName.has(name)) byName.set(name, item);
    else leaving.push({ name: name !== undefined && !declared.has(name) && !leaving.some((l) => l.name === name) ? name : shortId(item.arn), item });
  }
  return { byName, leaving };
}

function pairHsms(facts: Facts): void {
  const present = facts.observed.hsms.filter((h) => h.status !== 'TERMINATED' && h.status !== 'TERMINATING');
  const mismatch = new Set(facts.options.cloningDomainMismatch ?? []);
  const { byName, leaving } = claim(present, new Set(facts.desired.hsms.map((h) => h.name)));
  const add = (f: HsmFacts): void => {
    facts.hsms.set(f.name, f);
    if (f.observed !== undefined) facts.hsmByArn.set(f.observed.arn, f);
    if (f.verdict === 'unreachable' && f.observed !== undefined) {
      const o = f.observed;
      facts.unreachable.push({ name: f.name, arn: o.arn, serial: o.serial, reachability: o.reachability });
    }
  };
  for (const d of [...facts.desired.hsms].sort((a, b) => compareText(a.name, b.name))) {
    const o = byName.get(d.name);
    let verdict: HsmVerdict;
    if (o === undefined) verdict = 'create';
    else if (o.reachability !== 'reachable') verdict = 'unreachable';
    else if (o.zeroized) verdict = 'initialize';
    else if (o.label !== d.label || mismatch.has(d.name)) verdict = 'replace';
    else verdict = 'steady';
    add({ name: d.name, desired: d, observed: o, verdict });
  }
  for (const { name, item } of leaving) {
    add({ name, desired: undefined, observed: item, verdict: item.reachability === 'reachable' ? 'leave' : 'unreachable' });
  }
  for (const h of present) {
    if (!isManaged(h.tags)) facts.unmanaged.push({ type: 'hsm', id: h.arn, name: h.label });
  }
}

function pairHapgs(facts: Facts): void {
  const { byName, leaving } = claim(facts.observed.hapgs, new Set(facts.desired.hapgs.map((g) => g.label)));
  const add = (f: HapgFacts): void => void facts.hapgs.set(f.label, f);
  for (const d of [...facts.desired.hapgs].sort((a, b) => compareText(a.label, b.label))) {
    const o = byName.get(d.label);
    add({ label: d.label, desired: d, observed: o, verdict: o === undefined ? 'create' : 'steady' });
  }
  for (const { name, item } of leaving) add({ label: name, desired: undefined, observed: item, verdict: 'leave' });
  for (const g of facts.observed.hapgs) {
    if (isManaged(g.tags)) continue;
    facts.unmanaged.push({ type: 'hapg', id: g.arn, name: g.label });
    // Clients name groups by label (Chrystoki.conf, vtl haAdmin): two groups with one label confuse them.
    if (facts.hapgs.get(g.label)?.verdict === 'create') {
      facts.warnings.push(
        `hapg ${g.label}: a HAPG with this label exists that hsmctl does not manage (${shortId(g.arn)}); hsmctl creates its own beside it ` +
          'and never touches that one, but clients tell groups apart by label: rename one of them',
      );
    }
  }
}

function pairClients(facts: Facts): void {
  const observed = new Map(facts.observed.clients.map((c) => [c.name, c]));
  const add = (f: ClientFacts): void => void facts.clients.set(f.name, f);
  for (const d of [...facts.desired.clients].sort((a, b) => compareText(a.name, b.name))) {
    const o = observed.get(d.name);
    add({ name: d.name, desired: d, observed: o, verdict: o?.arn ? 'steady' : 'create' });
    if (o?.arn && !isManaged(o.tags)) {
      facts.warnings.push(`client ${d.name} exists without hsmctl's tags; hsmctl manages it because the configuration declares it`);
    }
  }
  const declared = new Set(facts.desired.clients.map((c) => c.name));
  for (const o of [...facts.observed.clients].sort((a, b) => compareText(a.name, b.name))) {
    if (declared.has(o.name)) continue;
    if (o.arn !== null && isManaged(o.tags)) add({ name: o.name, desired: undefined, observed: o, verdict: 'leave' });
    else facts.unmanaged.push({ type: 'client', id: o.arn ?? o.name, name: o.name });
  }
}

/** Whether appliance-side actions may be planned on this HSM (it exists or will, and answers). */
export function deviceUsable(h: HsmFacts): boolean {
  return h.verdict !== 'unreachable';
}

/** Whether this plan (re)initializes the HSM, so whatever it holds now will be gone. */
export function rebuilt(h: HsmFacts): boolean {
  return h.verdict === 'create' || h.verdict === 'initialize' || h.verdict === 'replace';
}

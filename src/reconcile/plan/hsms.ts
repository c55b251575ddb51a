import { isProtected, PROTECT_TAG } from '../../fleet/tags.js';
import type { Hsm } from '../../fleet/types.js';
import { addAction, addDrift, type Draft } from './draft.js';
import type { HsmFacts } from './facts.js';
import { SENSITIVE, UNKNOWN } from './kinds.js';
import { planProtection } from './protection.js';
import type { FieldValue } from './types.js';

/**
 * HSM lifecycle: provision and initialize what is declared, re-initialize (zeroize, then
 * initialize) what carries the wrong label or cloning domain, zeroize and delete what left the
 * configuration, and keep the protection tag of what exists in step with `protect`. An
 * unreachable HSM gets nothing that needs the device, only a warning: unreachable is not absent.
 */
export function planHsms(draft: Draft): void {
  for (const h of draft.facts.hsms.values()) {
    switch (h.verdict) {
      case 'create':
        planCreate(draft, h);
        break;
      case 'initialize':
        planInitializeZeroized(draft, h, h.observed!);
        break;
      case 'replace':
        planReplace(draft, h, h.observed!);
        break;
      case 'leave':
        planLeave(draft, h, h.observed!);
        break;
      case 'unreachable': {
        const o = h.observed!;
        const what = h.desired === undefined ? 'left the configuration but ' : '';
        // A protected HSM that left is refused, not waited for, once it answers (safety.ts).
        const kept = h.desired === undefined && isProtected(o.tags);
        if (h.desired === undefined && !kept) draft.deferred.add(`hsm.${h.name}`);
        draft.warnings.push(
          `hsm ${h.name} ${what}is unreachable (${o.reachability}); nothing that needs the device is planned for it until it answers again` +
            (kept ? `; it is protected (its ${PROTECT_TAG} tag), so it will not be deleted then either: declare it again with protect: false and apply, then remove it` : ''),
        );
        break;
      }
      case 'steady':
        break;
    }
    // An HSM that exists and is declared keeps its protection tag in step, also while the device
    // is away: tags live in the control plane. (A new one gets it with `hsm.create`.)
    if (h.desired !== undefined && h.observed !== undefined) planProtection(draft, h);
  }
}

function initializeAfter(h: HsmFacts): Record<string, FieldValue> {
  return { label: h.desired!.label, cloningDomain: SENSITIVE, soPassword: SENSITIVE };
}

function planCreate(draft: Draft, h: HsmFacts): void {
  const d = h.desired!;
  addAction(draft, 'hsm.create', {
    change: 'create',
    reason: `hsm ${h.name} is declared but does not exist`,
    before: null,
    after: {
      availabilityZone: d.availabilityZone,
      subnetId: d.subnetId ?? UNKNOWN,
      ...(d.syslogIp !== undefined ? { syslogIp: d.syslogIp } : {}),
      ...(d.sshPublicKey !== undefined ? { sshPublicKey: SENSITIVE } : {}),
      ...(d.protect ? { protect: true } : {}),
      arn: UNKNOWN,
      serial: UNKNOWN,
      eniIp: UNKNOWN,
    },
    params: {
      hsmName: h.name,
      availabilityZone: d.availabilityZone,
      ...(d.subnetId !== undefined ? { subnetId: d.subnetId } : {}),
      ...(d.syslogIp !== undefined ? { syslogIp: d.syslogIp } : {}),
      // Only when protected, so that the plans of unprotected HSMs read as they always did.
      ...(d.protect ? { protect: true as const } : {}),
    },
  });
  addAction(draft, 'hsm.initialize', {
    change: 'create',
    reason: `a new HSM must be initialized before use`,
    before: null,
    after: initializeAfter(h),
    params: { hsmName: h.name, label: h.desired!.label },
  });
}

function planInitializeZeroized(draft: Draft, h: HsmFacts, o: Hsm): void {
  const provisioning = o.status === 'PENDING';
  const wasMember = draft.facts.observed.hapgs.some((g) => g.members.some((m) => m.hsmArn === o.arn));
  const description = `hsm ${h.name} was zeroized: its label, partitions, clients and key objects are gone`;
  const id = addAction(draft, 'hsm.initialize', {
    change: 'update',
    reason: provisioning
      ? `hsm ${h.name} is still being provisioned (PENDING); apply waits for it, then initializes it`
      : wasMember
        ? `drift: ${description}`
        : `hsm ${h.name} is zeroized`,
    before: { zeroized: true, label: null },
    after: { zeroized: false, ...initializeAfter(h) },
    params: { hsmName: h.name, hsmArn: o.arn, label: h.desired!.label },
  });
  if (provisioning) draft.warnings.push(`hsm ${h.name} is still being provisioned (PENDING); apply waits until it is RUNNING`);
  if (!provisioning && h.desired!.protect) {
    // Nothing is left to lose, so protect does not stop the repair; but a person should know.
    draft.warnings.push(
      `hsm ${h.name} is protected and was zeroized outside hsmctl: its keys are gone, and it is initialized again. ` +
        'Find out why (three wrong SO passwords, or a tamper event) before trusting it again',
    );
  }
  if (wasMember && !provisioning) addDrift(draft, `hsm.${h.name}`, description, [id]);
}

function planReplace(draft: Draft, h: HsmFacts, o: Hsm): void {
  const d = h.desired!;
  const domainWrong = (draft.facts.options.cloningDomainMismatch ?? []).includes(h.name);
  const why = [
    ...(o.label !== d.label ? [`label ${o.label ?? '(none)'} → ${d.label}`] : []),
    ...(domainWrong ? ['cloning domain differs from the configured one'] : []),
  ].join('; ');
  const keys = o.partitions.reduce((n, p) => n + p.objectCount, 0);
  addAction(draft, 'hsm.zeroize', {
    change: 'replace',
    destructive: true,
    reason: `hsm ${h.name} must be re-initialized (${why}); re-initializing wipes it`,
    before: { label: o.label, partitions: o.partitions.map((p) => p.name), keyObjects: keys },
    after: { zeroized: true },
    params: { hsmName: h.name, hsmArn: o.arn, host: o.eniIp },
  });
  addAction(draft, 'hsm.initialize', {
    change: 'replace',
    reason: `hsm ${h.name} must be re-initialized (${why})`,
    before: { label: o.label, cloningDomain: SENSITIVE, soPassword: SENSITIVE },
    after: initializeAfter(h),
    params: { hsmName: h.name, hsmArn: o.arn, label: d.label },
  });
}

function planLeave(draft: Draft, h: HsmFacts, o: Hsm): void {
  if (!o.zeroized) {
    const keys = o.partitions.reduce((n, p) => n + p.objectCount, 0);
    addAction(draft, 'hsm.zeroize', {
      change: 'delete',
      destructive: true,
      reason: `hsm ${h.name} is no longer in the configuration; delete-hsm needs a zeroized HSM`,
      before: { label: o.label, partitions: o.partitions.map((p) => p.name), keyObjects: keys },
      after: { zeroized: true },
      params: { hsmName: h.name, hsmArn: o.arn, host: o.eniIp },
    });
  }
  addAction(draft, 'hsm.delete', {
    change: 'delete',
    destructive: true,
    reason: `hsm ${h.name} is no longer in the configuration`,
    before: { arn: o.arn, serial: o.serial, eniIp: o.eniIp, availabilityZone: o.availabilityZone, label: o.label },
    after: null,
    params: { hsmName: h.name, hsmArn: o.arn },
  });
}

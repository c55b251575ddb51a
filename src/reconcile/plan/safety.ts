import { declaresNothing } from '../../config/empty.js';
import { isManaged, isProtected, PROTECT_TAG } from '../../fleet/tags.js';
import type { Facts } from './facts.js';
import type { Action } from './types.js';

/**
 * Why a plan may not be applied (SPEC §4): a destructive action without `--allow-destroy`, any
 * zeroize or delete of a protected HSM (even with it), and a configuration that declares nothing
 * while hsmctl manages resources. A declared HSM is protected by its `protect`; one that left the
 * configuration, by the `PROTECT_TAG` it was given while declared `protect: true` (removing its
 * block must not be a way around protection). One line per refusal, naming the action and what
 * it would lose. A member removal in `recoverable` loses the last copy only while members are out
 * of rotation: its line says so, and advises letting them recover before `--allow-destroy`. For a
 * member that holds some of its objects only, `onlyCopies` (by action id) says how many.
 */
export function refusalsOf(
  actions: readonly Action[],
  facts: Facts,
  recoverable: ReadonlySet<string> = new Set(),
  onlyCopies: ReadonlyMap<string, number> = new Map(),
): string[] {
  const refusals: string[] = [];
  const allowDestroy = facts.options.allowDestroy === true;
  // Actions refused for protection: --allow-destroy cannot help them, so they are not advised it.
  const protectedIds = new Set<string>();

  // Indexed loops: plans can be large, and this runs once, mostly before it is optimized.
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.kind !== 'hsm.zeroize' && a.kind !== 'hsm.delete') continue;
    const name = a.params.hsmName;
    const h = facts.hsms.get(name);
    if (h?.desired?.protect === true) {
      const what = a.kind === 'hsm.zeroize' ? 'zeroized or re-initialized' : 'deleted';
      refusals.push(`${a.kind} ${name}: hsm ${name} is protected (protect: true) and cannot be ${what}`);
      protectedIds.add(a.id);
    } else if (h !== undefined && h.desired === undefined && h.observed !== undefined && isProtected(h.observed.tags)) {
      const what = a.kind === 'hsm.zeroize' ? 'zeroized' : 'deleted';
      refusals.push(
        `${a.kind} ${name}: hsm ${name} is protected (its ${PROTECT_TAG} tag, from protect: true) and cannot be ${what}; ` +
          `declare it again with protect: false and apply, then remove it`,
      );
      protectedIds.add(a.id);
    }
  }

  const managed =
    facts.observed.hsms.filter((h) => isManaged(h.tags) && h.status !== 'TERMINATED').length +
    facts.observed.hapgs.filter((g) => isManaged(g.tags)).length +
    facts.observed.clients.filter((c) => c.arn !== null && isManaged(c.tags)).length;
  if (declaresNothing(facts.desired) && managed > 0 && !allowDestroy) {
    refusals.push(
      `the configuration declares nothing; refusing to destroy ${managed} managed resource${managed === 1 ? '' : 's'} without --allow-destroy`,
    );
  }

  if (!allowDestroy) {
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      if (!a.destructive || protectedIds.has(a.id)) continue;
      const advice = recoverable.has(a.address)
        ? ' while members are out of rotation; let them recover first, or run with --allow-destroy to lose it'
        : '; run with --allow-destroy';
      refusals.push(`${a.kind} ${targetOf(a)}: ${lossOf(a, onlyCopies.get(a.id))}${advice}`);
    }
  }
  return refusals;
}

function targetOf(a: Action): string {
  switch (a.kind) {
    case 'hapg.removeMember':
      return `${a.params.hapgLabel} ${a.params.hsmName}`;
    case 'hapg.delete':
      return a.params.hapgLabel;
    default:
      return 'hsmName' in a.params ? a.params.hsmName : a.address;
  }
}

/** What a destructive action loses; `only`: of a member's objects, how many the staying members lack (when fewer than all). */
function lossOf(a: Action, only: number | undefined): string {
  const objects = a.before?.keyObjects;
  const n = typeof objects === 'number' ? objects : 0;
  switch (a.kind) {
    case 'hsm.zeroize':
      return `destroys all keys on ${a.params.hsmName}${n > 0 ? ` (${n} key object${n === 1 ? '' : 's'})` : ''}`;
    case 'hsm.delete':
      return `deletes the HSM ${a.params.hsmName} and everything on it`;
    case 'hapg.removeMember':
      return only !== undefined
        ? `deletes partition ${a.params.partitionName}, the only copy of ${only} of hapg ${a.params.hapgLabel}'s ${n} key objects`
        : `deletes partition ${a.params.partitionName}, the last copy of hapg ${a.params.hapgLabel}'s ${n} key object${n === 1 ? '' : 's'}`;
    case 'hapg.delete':
      return n > 0
        ? `deletes hapg ${a.params.hapgLabel}, which holds ${n} key object${n === 1 ? '' : 's'}`
        : `deletes hapg ${a.params.hapgLabel}, whose unreachable members may hold key objects`;
    default:
      return 'loses data';
  }
}

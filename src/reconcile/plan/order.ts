import { InternalError } from '../../errors.js';
import { PROCEDURE_RANK, compareText } from './kinds.js';
import type { ActionKind } from './types.js';

/** What ordering needs of an action. */
export interface OrderNode {
  id: string;
  kind: ActionKind;
  address: string;
  dependsOn: readonly string[];
}

function before(a: OrderNode, b: OrderNode): boolean {
  const r = PROCEDURE_RANK[a.kind] - PROCEDURE_RANK[b.kind];
  if (r !== 0) return r < 0;
  return compareText(a.address, b.address) < 0 || (a.address === b.address && compareText(a.id, b.id) < 0);
}

/**
 * A topological order of the actions (every action after all it depends on) that, among the
 * actions ready at each step, takes the earliest in the manual procedure, then by address. The
 * result is deterministic and reads like the procedure. Throws `InternalError` on a cycle.
 */
export function procedureOrder<T extends OrderNode>(nodes: readonly T[]): T[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, T[]>();
  for (const n of nodes) {
    const deps = n.dependsOn.filter((d) => byId.has(d));
    waiting.set(n.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), n]);
  }
  const ready = nodes.filter((n) => waiting.get(n.id) === 0);
  const out: T[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (before(ready[i]!, ready[best]!)) best = i;
    const next = ready.splice(best, 1)[0]!;
    out.push(next);
    for (const d of dependents.get(next.id) ?? []) {
      const left = waiting.get(d.id)! - 1;
      waiting.set(d.id, left);
      if (left === 0) ready.push(d);
    }
  }
  if (out.length !== nodes.length) {
    const done = new Set(out);
    const stuck = nodes.filter((n) => !done.has(n)).map((n) => n.id);
    throw new InternalError(`the plan's dependencies form a cycle among: ${stuck.join(', ')}`);
  }
  return out;
}

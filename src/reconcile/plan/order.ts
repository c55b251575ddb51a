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
    for (const d of deps) {
      const list = dependents.get(d);
      if (list === undefined) dependents.set(d, [n]);
      else list.push(n);
    }
  }
  const ready = new Heap<T>(before);
  for (const n of nodes) if (waiting.get(n.id) === 0) ready.push(n);
  const out: T[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
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

/** A binary min-heap under `less`: the ready set of `procedureOrder`, O(log n) per step. */
class Heap<T> {
  readonly #items: T[] = [];
  readonly #less: (a: T, b: T) => boolean;

  constructor(less: (a: T, b: T) => boolean) {
    this.#less = less;
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.#less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.#less(items[l]!, items[m]!)) m = l;
      if (r < items.length && this.#less(items[r]!, items[m]!)) m = r;
      if (m === i) break;
      [items[i], items[m]] = [items[m]!, items[i]!];
      i = m;
    }
    return top;
  }
}

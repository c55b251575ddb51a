import { InternalError } from '../../errors.js';
import { PROCEDURE_RANK, compareText } from './kinds.js';
import type { ActionKind } from './types.js';

/** What ordering needs of an action. */
export interface OrderNode {
  id: string;
  kind: ActionKind;
}

/**
 * The tie-break between actions ready at once: earlier procedure step, then id. Within a kind the
 * id is the kind and the names in address order, so this is also address order (but for a HAPG
 * label containing a dot), compared on the ids, which are flat strings already.
 */
function compareNodes(a: OrderNode, b: OrderNode): number {
  return PROCEDURE_RANK[a.kind] - PROCEDURE_RANK[b.kind] || compareText(a.id, b.id);
}

/**
 * A topological order of the actions (every action after all it depends on; `dependencies[i]`
 * lists the positions in `nodes` of what `nodes[i]` depends on) that, among the actions ready at
 * each step, takes the earliest in the manual procedure, then by id. The result is
 * deterministic and reads like the procedure. Throws `InternalError` on a cycle.
 *
 * Each node is ranked once by the tie-break, so the ready set is a heap of ranks (integers) and
 * the graph is arrays of positions: O((n + e) log n) integer steps on large plans.
 */
export function procedureOrder<T extends OrderNode>(nodes: readonly T[], dependencies: readonly (readonly number[])[]): T[] {
  const byRank = nodes.map((_n, position) => position).sort((a, b) => compareNodes(nodes[a]!, nodes[b]!));
  const rankOf = new Int32Array(nodes.length);
  byRank.forEach((position, rank) => (rankOf[position] = rank));

  // Dependents of each position, packed: those of p are dependents[start[p] .. start[p + 1]).
  const waiting = new Int32Array(nodes.length);
  const start = new Int32Array(nodes.length + 1);
  dependencies.forEach((deps, position) => {
    waiting[position] = deps.length;
    for (const d of deps) start[d + 1]! += 1;
  });
  for (let p = 0; p < nodes.length; p++) start[p + 1]! += start[p]!;
  const dependents = new Int32Array(start[nodes.length]!);
  const filled = start.slice(0, nodes.length);
  dependencies.forEach((deps, position) => {
    for (const d of deps) dependents[filled[d]!++] = position;
  });

  const ready = new RankHeap();
  for (let p = 0; p < nodes.length; p++) if (waiting[p] === 0) ready.push(rankOf[p]!);
  const out: T[] = [];
  for (let rank = ready.pop(); rank !== undefined; rank = ready.pop()) {
    const p = byRank[rank]!;
    out.push(nodes[p]!);
    for (let i = start[p]!; i < start[p + 1]!; i++) {
      const d = dependents[i]!;
      if (--waiting[d]! === 0) ready.push(rankOf[d]!);
    }
  }
  if (out.length !== nodes.length) {
    const done = new Set(out);
    const stuck = nodes.filter((n) => !done.has(n)).map((n) => n.id);
    throw new InternalError(`the plan's dependencies form a cycle among: ${stuck.join(', ')}`);
  }
  return out;
}

/** A binary min-heap of ranks: the ready set of `procedureOrder`, O(log n) per step. */
class RankHeap {
  readonly #items: number[] = [];

  push(rank: number): void {
    const items = this.#items;
    let i = items.length;
    items.push(rank);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= rank) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = rank;
  }

  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const m = r < items.length && items[r]! < items[l]! ? r : l;
      if (items[m]! >= last) break;
      items[i] = items[m]!;
      i = m;
    }
    items[i] = last;
    return top;
  }
}

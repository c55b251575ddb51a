/**
 * A binary min-heap of ranks (integers): the ready set of the planner's topological order and of
 * the executor's DAG runner, each of which ranks its nodes once in the order it takes them.
 * O(log n) per step, and no comparison function to call.
 */
export class RankHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

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

  /** The smallest rank, removed; undefined when empty. */
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

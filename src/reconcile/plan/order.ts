import { InternalError } from '../../errors.js';
import { RankHeap } from '../heap.js';
import { PROCEDURE_ORDER, compareText } from './kinds.js';
import type { ActionKind } from './types.js';

/** What ordering needs of an action. */
export interface OrderNode {
  id: string;
  kind: ActionKind;
}

/**
 * Dependencies by position, packed: those of the node at position `p` are
 * `targets[start[p]] .. targets[end[p] - 1]` (positions in the node list).
 */
export interface Graph {
  start: Int32Array;
  end: Int32Array;
  targets: Int32Array;
}

/** Two orders of the nodes, as positions, each with its inverse. */
export interface Ranking {
  /** Each position's rank in the order of ids (plain code-point order). */
  idRank: Int32Array;
  /** The position of each rank in the order of ids. */
  byId: Int32Array;
  /** The positions in tie-break order: earlier procedure step, then id. */
  byProcedure: Int32Array;
  /** Whether two nodes have the same id. */
  repeats: boolean;
}

/** The nodes to rank: the id of each position, and the positions of each kind. */
export interface RankInput {
  ids: readonly string[];
  byKind: ReadonlyMap<ActionKind, readonly number[]>;
}

/**
 * Ranks the nodes by id and by the tie-break of `procedureOrder`, sorting ids only within a kind.
 * An id is `<kind>:<key>` and no kind holds a colon, so ids of different kinds compare as their
 * `<kind>:` prefixes do: the id order is the kinds in that order, each kind's ids sorted.
 */
export function rankActions({ ids, byKind }: RankInput): Ranking {
  const sorted = new Map<ActionKind, readonly number[]>();
  let repeats = false;
  for (const kind of PROCEDURE_ORDER) {
    const positions = (byKind.get(kind) ?? []).slice();
    positions.sort((a, b) => compareText(ids[a]!, ids[b]!));
    for (let i = 1; i < positions.length; i++) if (ids[positions[i]!] === ids[positions[i - 1]!]) repeats = true;
    sorted.set(kind, positions);
  }
  const idRank = new Int32Array(ids.length);
  const byId = new Int32Array(ids.length);
  let rank = 0;
  for (const kind of KINDS_BY_ID) {
    const positions = sorted.get(kind)!;
    for (let i = 0; i < positions.length; i++) (byId[rank] = positions[i]!), (idRank[positions[i]!] = rank++);
  }
  const byProcedure = new Int32Array(ids.length);
  rank = 0;
  for (const positions of sorted.values()) for (let i = 0; i < positions.length; i++) byProcedure[rank++] = positions[i]!;
  return { idRank, byId, byProcedure, repeats };
}

/** What `rankActions` needs of a list of nodes. */
function rankInputOf(nodes: readonly OrderNode[]): RankInput {
  const byKind = new Map<ActionKind, number[]>();
  nodes.forEach((node, p) => {
    const positions = byKind.get(node.kind);
    if (positions === undefined) byKind.set(node.kind, [p]);
    else positions.push(p);
  });
  return { ids: nodes.map((node) => node.id), byKind };
}

/** The kinds in the order of their ids. */
const KINDS_BY_ID: readonly ActionKind[] = [...PROCEDURE_ORDER].sort((a, b) => compareText(`${a}:`, `${b}:`));

/**
 * A topological order of the nodes (every node after all it depends on, per `graph`) that, among
 * the nodes ready at each step, takes the earliest in the manual procedure, then by id. The result
 * is deterministic and reads like the procedure. Throws `InternalError` on a cycle.
 *
 * Each node is ranked once by the tie-break (`ranking`, computed when not given), so the ready set
 * is a heap of ranks (integers) and the graph is arrays of positions: O((n + e) log n) integer
 * steps on large plans.
 */
export function procedureOrder<T extends OrderNode>(nodes: readonly T[], graph: Graph, ranking: Ranking = rankActions(rankInputOf(nodes))): T[] {
  const n = nodes.length;
  const byRank = ranking.byProcedure;
  const rankOf = new Int32Array(n);
  for (let rank = 0; rank < n; rank++) rankOf[byRank[rank]!] = rank;

  // Dependents of each position, packed like the graph: those of p are dependents[first[p] .. first[p + 1]).
  const { start, end, targets } = graph;
  const waiting = new Int32Array(n);
  const first = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) {
    waiting[p] = end[p]! - start[p]!;
    for (let i = start[p]!; i < end[p]!; i++) first[targets[i]! + 1]! += 1;
  }
  for (let p = 0; p < n; p++) first[p + 1]! += first[p]!;
  const dependents = new Int32Array(first[n]!);
  const filled = first.slice(0, n);
  for (let p = 0; p < n; p++) for (let i = start[p]!; i < end[p]!; i++) dependents[filled[targets[i]!]!++] = p;

  const ready = new RankHeap();
  for (let p = 0; p < n; p++) if (waiting[p] === 0) ready.push(rankOf[p]!);
  const out = new Array<T>(n);
  let done = 0;
  for (let rank = ready.pop(); rank !== undefined; rank = ready.pop()) {
    const p = byRank[rank]!;
    out[done++] = nodes[p]!;
    for (let i = first[p]!; i < first[p + 1]!; i++) {
      const d = dependents[i]!;
      if (--waiting[d]! === 0) ready.push(rankOf[d]!);
    }
  }
  if (done !== n) {
    const placed = new Set(out.slice(0, done));
    const stuck = nodes.filter((x) => !placed.has(x)).map((x) => x.id);
    throw new InternalError(`the plan's dependencies form a cycle among: ${stuck.join(', ')}`);
  }
  return out;
}

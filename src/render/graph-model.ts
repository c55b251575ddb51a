/**
 * A small graph description both `hsmctl graph` pictures are built as, and both output formats
 * render: nodes (optionally inside a cluster), edges, and a tone per element that each format
 * turns into its own styling. Building it is pure and deterministic (same inputs, same order).
 */

/**
 * How an element is drawn. `normal` as it should be; `down` dashed red (a member out of rotation,
 * an unreachable HSM); `missing` grey (declared but not in the world); `warning` orange (a group
 * that is Degraded, an HSM not yet initialized); `create`/`update`/`delete`/`recover` the plan's
 * change colours.
 */
export type Tone = 'normal' | 'down' | 'missing' | 'warning' | 'create' | 'update' | 'delete' | 'recover';

/** Node outline, named after what it stands for. */
export type Shape = 'hsm' | 'hapg' | 'client' | 'action';

/** One node. */
export interface GraphNode {
  /** Unique within the graph; any characters (renderers make their own identifiers). */
  id: string;
  /** Lines of the label, first line the name. */
  label: string[];
  /** What it stands for, which sets its outline. */
  shape: Shape;
  /** How it is drawn. */
  tone: Tone;
  /** Draw with a heavier outline (a destructive action). */
  emphasis?: boolean;
}

/** One edge from `from` to `to` (node ids). */
export interface GraphEdge {
  /** Id of the node it starts at. */
  from: string;
  /** Id of the node it points to. */
  to: string;
  /** A word on the edge (a member's state when not alive, `NTL`). */
  label?: string;
  /** How it is drawn. */
  tone: Tone;
  /** A relationship of another kind than the main one (trust links): drawn dotted. */
  secondary?: boolean;
}

/** A titled group of nodes (an availability zone). */
export interface GraphCluster {
  /** Unique among clusters; letters and digits only. */
  id: string;
  /** Its title (the zone's name). */
  label: string;
  /** Ids of the nodes inside, in drawing order. */
  nodes: string[];
}

/** The whole picture. */
export interface Graph {
  /** Graph name (DOT) and title comment. */
  name: string;
  /** Left to right or top to bottom. */
  direction: 'LR' | 'TB';
  clusters: GraphCluster[];
  /** Every node, clustered or not, in drawing order. */
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Ids of nodes that are in some cluster. */
export function clustered(graph: Graph): Set<string> {
  return new Set(graph.clusters.flatMap((c) => c.nodes));
}

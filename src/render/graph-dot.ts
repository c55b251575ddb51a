import { clustered, type Graph, type GraphEdge, type GraphNode, type Shape, type Tone } from './graph-model.js';

/** Graphviz DOT (`hsmctl graph --format dot`, the default): `dot -Tsvg` draws it. */

const SHAPES: Record<Shape, string> = { hsm: 'box3d', hapg: 'ellipse', client: 'component', action: 'box' };

/** DOT attributes per tone; `normal` adds none. */
const TONES: Record<Tone, string[]> = {
  normal: [],
  down: ['color="red"', 'fontcolor="red"', 'style="dashed"'],
  missing: ['color="grey60"', 'fontcolor="grey50"', 'style="dashed"'],
  warning: ['color="darkorange"'],
  create: ['color="darkgreen"'],
  update: ['color="darkorange"'],
  delete: ['color="red"'],
  recover: ['color="blue"'],
};

/** A DOT double-quoted string. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function nodeLine(n: GraphNode): string {
  const attrs = [`label=${quote(n.label.join('\n'))}`, `shape=${SHAPES[n.shape]}`];
  const tone = TONES[n.tone];
  if (n.shape === 'action') attrs.push(tone.some((a) => a.startsWith('style=')) ? '' : 'style="rounded"');
  attrs.push(...tone);
  if (n.emphasis === true) attrs.push('penwidth=2.5');
  return `${quote(n.id)} [${attrs.filter((a) => a !== '').join(', ')}];`;
}

function edgeLine(e: GraphEdge): string {
  const attrs: string[] = [];
  if (e.label !== undefined) attrs.push(`label=${quote(e.label)}`);
  const tone = TONES[e.tone].filter((a) => !a.startsWith('fontcolor'));
  attrs.push(...tone);
  if (e.secondary === true && !tone.some((a) => a.startsWith('style='))) attrs.push('style="dotted"');
  return `${quote(e.from)} -> ${quote(e.to)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`;
}

/** The graph as a DOT document, ending with a newline. */
export function renderDot(graph: Graph): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const inCluster = clustered(graph);
  const lines = [
    `digraph ${quote(graph.name)} {`,
    `  rankdir=${graph.direction};`,
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const c of graph.clusters) {
    lines.push(`  subgraph ${quote(`cluster_${c.id}`)} {`, `    label=${quote(c.label)};`, '    style="rounded";', '    color="grey70";');
    for (const id of c.nodes) {
      const n = byId.get(id);
      if (n !== undefined) lines.push(`    ${nodeLine(n)}`);
    }
    lines.push('  }');
  }
  for (const n of graph.nodes) if (!inCluster.has(n.id)) lines.push(`  ${nodeLine(n)}`);
  for (const e of graph.edges) lines.push(`  ${edgeLine(e)}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

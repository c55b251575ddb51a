import { clustered, type Graph, type GraphNode, type Shape, type Tone } from './graph-model.js';

/** Mermaid flowchart (`hsmctl graph --format mermaid`): renders in GitHub Markdown as is. */

/** Opening and closing brackets of each shape. */
const SHAPES: Record<Shape, [string, string]> = { hsm: ['[(', ')]'], hapg: ['([', '])'], client: ['[/', '/]'], action: ['(', ')'] };

/** Mermaid style per tone; `normal` has none. */
const STYLES: Record<Exclude<Tone, 'normal'>, string> = {
  down: 'stroke:#d00,stroke-width:2px,stroke-dasharray:5 5,color:#d00',
  missing: 'stroke:#999,stroke-dasharray:3 3,color:#888,fill:#f4f4f4',
  warning: 'stroke:#e80,stroke-width:2px',
  create: 'stroke:#080,stroke-width:2px',
  update: 'stroke:#e80,stroke-width:2px',
  delete: 'stroke:#d00,stroke-width:2px',
  recover: 'stroke:#06c,stroke-width:2px',
};

/** Link styles per tone (no fill: a filled link would paint the area under its curve). */
const LINK_STYLES: Record<Exclude<Tone, 'normal'>, string> = {
  down: 'stroke:#d00,stroke-width:2px,stroke-dasharray:5 5',
  missing: 'stroke:#999,stroke-dasharray:3 3',
  warning: 'stroke:#e80,stroke-width:2px',
  create: 'stroke:#080',
  update: 'stroke:#e80',
  delete: 'stroke:#d00',
  recover: 'stroke:#06c',
};

/** Text inside a quoted Mermaid label: entity codes for what would end or break it. */
function text(s: string): string {
  return s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Mermaid identifiers: letters, digits and `_`, unique, never a keyword. */
function identifiers(nodes: readonly GraphNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of nodes) {
    const base = `n_${n.id.replace(/[^A-Za-z0-9]+/g, '_')}`;
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    ids.set(n.id, id);
  }
  return ids;
}

/** The graph as a Mermaid flowchart, ending with a newline. */
export function renderMermaid(graph: Graph): string {
  const ids = identifiers(graph.nodes);
  const inCluster = clustered(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const node = (n: GraphNode): string => {
    const [open, close] = SHAPES[n.shape];
    return `${ids.get(n.id)}${open}"${n.label.map(text).join('<br/>')}"${close}`;
  };
  const lines = [`flowchart ${graph.direction}`];
  for (const c of graph.clusters) {
    lines.push(`  subgraph ${c.id}["${text(c.label)}"]`);
    for (const id of c.nodes) {
      const n = byId.get(id);
      if (n !== undefined) lines.push(`    ${node(n)}`);
    }
    lines.push('  end');
  }
  for (const n of graph.nodes) if (!inCluster.has(n.id)) lines.push(`  ${node(n)}`);
  const linkStyles = new Map<string, number[]>();
  graph.edges.forEach((e, i) => {
    const arrow = e.secondary === true ? '-.->' : '-->';
    lines.push(`  ${ids.get(e.from) ?? e.from} ${arrow}${e.label === undefined ? '' : `|${text(e.label)}|`} ${ids.get(e.to) ?? e.to}`);
    if (e.tone !== 'normal') linkStyles.set(e.tone, [...(linkStyles.get(e.tone) ?? []), i]);
  });
  const used = [...new Set(graph.nodes.map((n) => n.tone))].filter((t): t is Exclude<Tone, 'normal'> => t !== 'normal').sort();
  for (const tone of used) {
    lines.push(`  classDef ${tone} ${STYLES[tone]}`);
    lines.push(`  class ${graph.nodes.filter((n) => n.tone === tone).map((n) => ids.get(n.id)).join(',')} ${tone}`);
  }
  const emphasised = graph.nodes.filter((n) => n.emphasis === true);
  for (const n of emphasised) lines.push(`  style ${ids.get(n.id)} stroke-width:4px`);
  for (const [tone, indexes] of [...linkStyles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  linkStyle ${indexes.join(',')} ${LINK_STYLES[tone as Exclude<Tone, 'normal'>]}`);
  }
  return `${lines.join('\n')}\n`;
}

import { describe, expect, it } from 'vitest';
import { renderDot } from '../../src/render/graph-dot.js';
import { renderMermaid } from '../../src/render/graph-mermaid.js';
import type { Graph } from '../../src/render/graph-model.js';

/** The two formats on a hand-made graph: escaping, identifiers, clusters, tones, emphasis. */

const graph: Graph = {
  name: 'g',
  direction: 'LR',
  clusters: [{ id: 'az0', label: 'zone "a"', nodes: ['hsm:x'] }],
  nodes: [
    { id: 'hsm:x', label: ['x', 'say "hi" #1 <b>'], shape: 'hsm', tone: 'down' },
    { id: 'hsm-x', label: ['collides once made an identifier'], shape: 'hsm', tone: 'normal' },
    { id: 'a:end', label: ['delete me'], shape: 'action', tone: 'delete', emphasis: true },
  ],
  edges: [
    { from: 'hsm:x', to: 'hsm-x', tone: 'normal' },
    { from: 'a:end', to: 'hsm:x', tone: 'missing', label: 'NTL', secondary: true },
  ],
};

describe('renderDot', () => {
  it('quotes identifiers and labels, clusters nodes, styles tones', () => {
    expect(renderDot(graph)).toBe(
      [
        'digraph "g" {',
        '  rankdir=LR;',
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  subgraph "cluster_az0" {',
        '    label="zone \\"a\\"";',
        '    style="rounded";',
        '    color="grey70";',
        '    "hsm:x" [label="x\\nsay \\"hi\\" #1 <b>", shape=box3d, color="red", fontcolor="red", style="dashed"];',
        '  }',
        '  "hsm-x" [label="collides once made an identifier", shape=box3d];',
        '  "a:end" [label="delete me", shape=box, style="rounded", color="red", penwidth=2.5];',
        '  "hsm:x" -> "hsm-x";',
        '  "a:end" -> "hsm:x" [label="NTL", color="grey60", style="dashed"];',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('renderMermaid', () => {
  it('makes unique identifiers, escapes labels, styles tones and links', () => {
    expect(renderMermaid(graph)).toBe(
      [
        'flowchart LR',
        '  subgraph az0["zone #quot;a#quot;"]',
        '    n_hsm_x[("x<br/>say #quot;hi#quot; #35;1 #lt;b#gt;")]',
        '  end',
        '  n_hsm_x_2[("collides once made an identifier")]',
        '  n_a_end("delete me")',
        '  n_hsm_x --> n_hsm_x_2',
        '  n_a_end -.->|NTL| n_hsm_x',
        '  classDef delete stroke:#d00,stroke-width:2px',
        '  class n_a_end delete',
        '  classDef down stroke:#d00,stroke-width:2px,stroke-dasharray:5 5,color:#d00',
        '  class n_hsm_x down',
        '  style n_a_end stroke-width:4px',
        '  linkStyle 1 stroke:#999,stroke-dasharray:3 3',
        '',
      ].join('\n'),
    );
  });
});

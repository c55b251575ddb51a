import type { Plan } from '../reconcile/plan/types.js';
import type { Graph, Tone } from './graph-model.js';

/**
 * The plan as its dependency DAG: one node per action (kind and address), an edge from each
 * action to every action that depends on it, so arrows point the way apply proceeds. Coloured by
 * change type; destructive actions drawn heavier.
 */
export function planGraph(plan: Plan): Graph {
  const tones: Record<string, Tone> = { create: 'create', update: 'update', delete: 'delete', replace: 'delete', recover: 'recover' };
  return {
    name: 'plan',
    direction: 'TB',
    clusters: [],
    nodes: plan.actions.map((a) => ({
      id: a.id,
      label: [a.kind, a.address],
      shape: 'action',
      tone: tones[a.change] ?? 'normal',
      ...(a.destructive ? { emphasis: true } : {}),
    })),
    edges: plan.actions.flatMap((a) => [...a.dependsOn].sort().map((dep) => ({ from: dep, to: a.id, tone: 'normal' as const }))),
  };
}

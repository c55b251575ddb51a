import type { Action, Plan } from '../reconcile/plan/types.js';
import { renderAction } from './plan-text-action.js';
import { styleFor, type Style } from './style.js';
import { NO_CHANGES, summaryLine } from './values.js';

/**
 * The human plan (SPEC §5): the summary line first and last; the drift found; the actions grouped
 * by resource with `+ ~ - -/+` markers and field-level before/after (generated files as unified
 * diffs); then unreachable HSMs, unmanaged resources, warnings, and why the plan is refused.
 */
export function renderPlanText(plan: Plan, options: { colour: boolean }): string {
  const st = styleFor(options.colour);
  const out: string[] = [];
  if (!plan.hasChanges) {
    out.push(st.bold(NO_CHANGES));
    out.push(...extras(plan, st), ...refusals(plan, st));
    return `${out.join('\n')}\n`;
  }
  const summary = st.bold(summaryLine(plan));
  out.push(summary, '');
  out.push(
    `Actions are marked ${st.green('+')} create, ${st.yellow('~')} update, ${st.red('-')} destroy, ${st.red('-/+')} wipe and redo (replace).`,
  );
  if (plan.drift.length > 0) {
    out.push('', st.bold('Drift: changed outside hsmctl (the actions below revert it):'));
    for (const d of plan.drift) {
      out.push(`  ${st.yellow('~')} ${d.address}: ${d.description}`, `      ${st.dim(`reverted by ${d.actionIds.join(', ')}`)}`);
    }
  }
  for (const group of groupByResource(plan.actions)) {
    out.push('', `  ${st.bold(`# ${group.address} ${verdictOf(group.actions)}`)}`);
    for (const action of group.actions) out.push(...renderAction(action, st));
  }
  out.push(...extras(plan, st), ...refusals(plan, st));
  out.push('', summary);
  return `${out.join('\n')}\n`;
}

interface Group {
  address: string;
  actions: Action[];
}

/** Actions grouped by resource, groups in order of their first action in the plan. */
function groupByResource(actions: readonly Action[]): Group[] {
  const groups = new Map<string, Group>();
  for (const a of actions) {
    const address = `${a.resource.type}.${a.resource.name}`;
    const g = groups.get(address) ?? { address, actions: [] };
    g.actions.push(a);
    groups.set(address, g);
  }
  return [...groups.values()];
}

function verdictOf(actions: readonly Action[]): string {
  const kinds = new Set(actions.map((a) => a.kind));
  if (kinds.has('hsm.create') || kinds.has('hapg.create') || kinds.has('client.create')) return 'will be created';
  if (kinds.has('hsm.delete') || kinds.has('hapg.delete') || kinds.has('client.delete')) return 'will be destroyed';
  if (actions.some((a) => a.change === 'replace')) return 'will be re-initialized (replaced)';
  if (actions.every((a) => a.change === 'recover')) return 'will be recovered';
  return 'will be updated in-place';
}

function extras(plan: Plan, st: Style): string[] {
  const out: string[] = [];
  if (plan.unreachable.length > 0) {
    out.push('', st.bold('Unreachable HSMs (not absent: nothing is planned that needs them):'));
    for (const u of plan.unreachable) out.push(`  ${u.name}  ${u.arn}  serial ${u.serial}  ${u.reachability}`);
  }
  if (plan.unmanaged.length > 0) {
    out.push('', st.bold('Not managed by hsmctl (never touched):'));
    for (const u of plan.unmanaged) out.push(`  ${u.type.padEnd(6)} ${u.id}${u.name !== null && u.name !== u.id ? `  (${u.name})` : ''}`);
  }
  for (const w of plan.warnings) out.push('', `${st.yellow(st.bold('Warning:'))} ${w}`);
  return out;
}

function refusals(plan: Plan, st: Style): string[] {
  if (plan.applyable) return [];
  return ['', st.red(st.bold('Error: this plan cannot be applied:')), ...plan.refusals.map((r) => `  - ${r}`)];
}

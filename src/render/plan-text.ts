import type { Action, ActionKind, Plan, ResourceType } from '../reconcile/plan/types.js';
import { ActionRenderer } from './plan-text-action.js';
import { styleFor, type Style } from './style.js';
import { noChangesLine, summaryLine } from './values.js';

/**
 * The human plan (SPEC §5): the summary line first and last; the drift found; the actions grouped
 * by resource with `+ ~ - -/+` markers and field-level before/after (generated files as unified
 * diffs); then unreachable HSMs, unmanaged resources, held-back changes, warnings, and why the
 * plan is refused.
 *
 * The text is collected as parts, every line ending in `'\n'`, and joined in chunks: a fleet's
 * plan runs to millions of pieces, and building each line or action as a string of its own would
 * copy the text over and over.
 */
export function renderPlanText(plan: Plan, options: { colour: boolean }): string {
  const st = styleFor(options.colour);
  const out: string[] = [];
  if (!plan.hasChanges) {
    out.push(st.bold(plan.deferred.length === 0 ? noChangesLine(plan) : st.yellow(noChangesLine(plan))), '\n');
    extras(plan, st, out);
    refusals(plan, st, out);
    return out.join('');
  }
  const summary = st.bold(summaryLine(plan));
  out.push(summary, '\n', '\n');
  out.push(
    `Actions are marked ${st.green('+')} create, ${st.yellow('~')} update, ${st.red('-')} destroy, ${st.red('-/+')} wipe and redo (replace).\n`,
  );
  if (plan.drift.length > 0) {
    out.push('\n', st.bold('Drift: changed outside hsmctl (the actions below revert it):'), '\n');
    for (const d of plan.drift) {
      out.push(`  ${st.yellow('~')} ${d.address}: ${d.description}\n`, `      ${st.dim(`reverted by ${d.actionIds.join(', ')}`)}\n`);
    }
  }
  const actions = new ActionRenderer(st);
  const chunks: string[] = [];
  for (const group of groupByResource(plan.actions)) {
    out.push('\n', '  ', st.bold(`# ${group.address} ${verdictOf(group.actions)}`), '\n');
    for (const action of group.actions) actions.render(action, out);
    if (out.length >= PARTS_PER_CHUNK) chunks.push(takeJoined(out));
  }
  extras(plan, st, out);
  refusals(plan, st, out);
  out.push('\n', summary, '\n');
  chunks.push(takeJoined(out));
  return chunks.join('');
}

/**
 * How many parts are joined into one chunk of text. `Array.prototype.join` slows down per part on
 * very long arrays, and a long-lived list of millions of parts costs more memory than their text:
 * joining a thousand at a time, then the chunks once, is several times faster on a fleet's plan.
 */
const PARTS_PER_CHUNK = 1000;

/** The parts joined, leaving the list empty for the next chunk. */
function takeJoined(parts: string[]): string {
  const text = parts.join('');
  parts.length = 0;
  return text;
}

interface Group {
  address: string;
  actions: Action[];
}

/**
 * Actions grouped by resource, groups in order of their first action in the plan (looked up by
 * type, then name, so the address is built once per group rather than once per action).
 */
function groupByResource(actions: readonly Action[]): Group[] {
  const groups: Group[] = [];
  const byType = new Map<ResourceType, Map<string, Group>>();
  for (const a of actions) {
    const { type, name } = a.resource;
    let byName = byType.get(type);
    if (byName === undefined) byType.set(type, (byName = new Map()));
    const g = byName.get(name);
    if (g !== undefined) g.actions.push(a);
    else {
      const group = { address: `${type}.${name}`, actions: [a] };
      byName.set(name, group);
      groups.push(group);
    }
  }
  return groups;
}

const CREATES: ReadonlySet<ActionKind> = new Set(['hsm.create', 'hapg.create', 'client.create']);
const DELETES: ReadonlySet<ActionKind> = new Set(['hsm.delete', 'hapg.delete', 'client.delete']);

function verdictOf(actions: readonly Action[]): string {
  if (actions.some((a) => CREATES.has(a.kind))) return 'will be created';
  if (actions.some((a) => DELETES.has(a.kind))) return 'will be destroyed';
  if (actions.some((a) => a.change === 'replace')) return 'will be re-initialized (replaced)';
  if (actions.every((a) => a.change === 'recover')) return 'will be recovered';
  return 'will be updated in-place';
}

function extras(plan: Plan, st: Style, out: string[]): void {
  if (plan.unreachable.length > 0) {
    out.push('\n', st.bold('Unreachable HSMs (not absent: nothing is planned that needs them):'), '\n');
    for (const u of plan.unreachable) out.push(`  ${u.name}  ${u.arn}  serial ${u.serial}  ${u.reachability}\n`);
  }
  if (plan.deferred.length > 0) {
    out.push('\n', st.bold('Waiting until unreachable HSMs answer (the warnings below say why):'), '\n');
    for (const address of plan.deferred) out.push(`  ${address}\n`);
  }
  if (plan.unmanaged.length > 0) {
    out.push('\n', st.bold('Not managed by hsmctl (never touched):'), '\n');
    for (const u of plan.unmanaged) out.push(`  ${u.type.padEnd(6)} ${u.id}${u.name !== null && u.name !== u.id ? `  (${u.name})` : ''}\n`);
  }
  if (plan.heldBack.length > 0) {
    out.push('\n', st.bold('Held back until it is safe (this plan works toward it; a later plan makes it):'), '\n');
    for (const h of plan.heldBack) {
      out.push(`  ${h.address}\n      # ${h.reason}\n`);
      if (h.waitsFor.length > 0) out.push(`      waits for ${h.waitsFor.join(', ')}\n`);
    }
  }
  for (const w of plan.warnings) out.push('\n', `${st.yellow(st.bold('Warning:'))} ${w}\n`);
}

function refusals(plan: Plan, st: Style, out: string[]): void {
  if (plan.applyable) return;
  out.push('\n', st.red(st.bold('Error: this plan cannot be applied:')), '\n');
  for (const r of plan.refusals) out.push(`  - ${r}\n`);
}

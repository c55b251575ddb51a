import type { DesiredFleet } from '../config/types.js';
import type { Action, Plan } from '../reconcile/plan/types.js';
import { COMMANDS, type CommandBlock } from './script-commands.js';
import { noChangesLine, summaryLine } from './values.js';

/**
 * The plan as a runbook (`plan --format script`): the real commands an operator would type, one
 * numbered step per action in the plan's order (a topological order that follows the manual
 * procedure), each introduced by a comment saying what and why. Lines that run on an appliance
 * are preceded by `# on <hsm> (lunash, ssh manager@<ip>):`, lines on a client instance by
 * `# on <client> (client instance):`. Secrets are always `<placeholders>`; `desired` supplies
 * public details the plan does not carry (the SSH public key file).
 */
export function renderPlanScript(plan: Plan, desired: DesiredFleet): string {
  const out = [
    '# hsmctl plan as a runbook: the commands an operator would type against real devices.',
    '# CloudHSM CLI commands run on the client instance that administers the fleet.',
    '# Secrets and values known only after an earlier step are <placeholders>.',
  ];
  if (!plan.hasChanges) return `${[...out, `# ${noChangesLine(plan)}`].join('\n')}\n`;
  out.push(`# ${summaryLine(plan)}`);
  if (!plan.applyable) {
    out.push('#', '# hsmctl refuses to apply this plan:', ...plan.refusals.map((r) => `#   ${r}`));
  }
  plan.actions.forEach((action, i) => {
    out.push('', `# Step ${i + 1}/${plan.actions.length}: ${action.kind} ${action.address}${action.destructive ? ' (DESTRUCTIVE)' : ''}`);
    out.push(`# ${action.reason}`);
    for (const block of commandsOf(action, desired)) out.push(...renderBlock(block));
  });
  if (plan.heldBack.length > 0) {
    out.push('', '# Held back until it is safe (these steps work toward it): plan again once they are done.');
    for (const h of plan.heldBack) out.push(`#   ${h.address}: ${h.reason}`);
  }
  if (plan.deferred.length > 0) {
    out.push('', '# Waiting until unreachable HSMs answer (plan again once they do):');
    for (const address of plan.deferred) out.push(`#   ${address}`);
  }
  return `${out.join('\n')}\n`;
}

function commandsOf(action: Action, desired: DesiredFleet): CommandBlock[] {
  const build = COMMANDS[action.kind] as (p: Action['params'], ctx: { desired: DesiredFleet }) => CommandBlock[];
  return build(action.params, { desired });
}

function renderBlock(block: CommandBlock): string[] {
  const w = block.where;
  if (w.on === 'hsm') return [`# on ${w.hsm} (lunash, ssh manager@${w.host}):`, ...block.lines];
  if (w.on === 'client') return [`# on ${w.client} (client instance):`, ...block.lines];
  return block.lines;
}


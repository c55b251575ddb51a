import type { ApplyCounts, ApplyResult } from '../reconcile/apply/result.js';
import { changesWait, summaryLine } from './values.js';
import { styleFor } from './style.js';

/**
 * How an apply ends, in words: `Apply complete! Resources: N added, N changed, N destroyed.`, or
 * what failed, what was done and what was left undone, or that it was stopped (Ctrl-C) and what
 * it left, or (rarely) that a fresh plan still finds work because the world changed meanwhile.
 */

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `Resources: 17 added, 0 changed, 0 destroyed.` (replacements and recoveries when there are any). */
export function resourcesLine(counts: ApplyCounts): string {
  const extra = [...(counts.replaced > 0 ? [`${counts.replaced} replaced`] : []), ...(counts.recovered > 0 ? [`${counts.recovered} recovered`] : [])];
  return `Resources: ${[`${counts.added} added`, `${counts.changed} changed`, `${counts.destroyed} destroyed`, ...extra].join(', ')}.`;
}

export function renderApplySummary(result: ApplyResult, colour: boolean): string[] {
  const st = styleFor(colour);
  const out: string[] = [];
  const already = result.counts.unchanged > 0 ? [`${plural(result.counts.unchanged, 'action')} found ${result.counts.unchanged === 1 ? 'its' : 'their'} effect already in place.`] : [];
  if (result.outcome === 'complete') {
    const waiting = result.verification?.remaining?.deferred ?? [];
    const rest =
      waiting.length === 0
        ? []
        : [
            st.yellow(`${changesWait(waiting.length)}: ${waiting.join(', ')}.`),
            'Run "hsmctl apply" again once they do.',
          ];
    return [st.green(st.bold(`Apply complete! ${resourcesLine(result.counts)}`)), ...already, ...rest];
  }
  if (result.outcome === 'held-back' && result.verification?.remaining !== undefined) {
    const next = result.verification.remaining;
    out.push(st.green(st.bold(`Apply complete! ${resourcesLine(result.counts)}`)), ...already);
    out.push(
      st.yellow(`The plan held changes back until these actions made them safe; a fresh plan has them (${summaryLine(next)})`),
      ...next.actions.map((a) => `  - ${a.kind} ${a.address}: ${a.reason}`),
      next.applyable
        ? 'Run "hsmctl apply" again to make them.'
        : 'They are not safe yet: members must recover into rotation first ("hsmctl plan" says which). Then run "hsmctl apply" again.',
    );
    return out;
  }
  if (result.outcome === 'not-converged') {
    const v = result.verification;
    out.push(st.yellow(st.bold(`Apply finished: ${resourcesLine(result.counts)}`)), ...already);
    if (v?.remaining !== undefined) {
      out.push(
        st.yellow(`But the fleet does not match the configuration yet: a fresh plan still finds work (${summaryLine(v.remaining)})`),
        ...v.remaining.actions.map((a) => `  - ${a.kind} ${a.address}: ${a.reason}`),
        'Something changed the fleet during the apply; run "hsmctl plan" to see what, then "hsmctl apply" again.',
      );
    } else {
      out.push(st.yellow(`But the fleet could not be read again to confirm it matches the configuration: ${v?.error?.message ?? 'unknown error'}`));
    }
    return out;
  }
  const failed = result.actions.filter((a) => a.status === 'failed');
  const done = result.actions.filter((a) => a.status === 'done');
  const notStarted = result.actions.filter((a) => a.status === 'not-started');
  if (result.outcome === 'stopped') {
    const undone = result.actions.filter((a) => a.status !== 'done');
    out.push(st.yellow(st.bold(`Apply stopped before it finished: ${done.length} done, ${undone.length} left undone.`)));
    out.push(`Done before it stopped: ${resourcesLine(result.counts)}`, ...already);
    out.push('Left undone:', ...undone.map((a) => `  - ${a.kind} ${a.address}`));
    out.push('Each step that ran is complete. The next apply re-reads the fleet and does only what is left.');
    return out;
  }
  for (const f of failed) out.push(`${st.red(st.bold('Error:'))} ${f.address} (${f.kind}) failed: ${f.error?.message ?? 'unknown error'}`, '');
  out.push(st.red(st.bold(`Apply failed: ${plural(failed.length, 'action')} failed, ${done.length} done, ${notStarted.length} not started.`)));
  out.push(`Done before the failure: ${resourcesLine(result.counts)}`, ...already);
  if (notStarted.length > 0) {
    out.push('Left undone (not started):', ...notStarted.map((a) => `  - ${a.kind} ${a.address}`));
  }
  out.push('Each step that ran is complete. Fix the cause and run "hsmctl apply" again: it re-reads the fleet and does only what is left.');
  return out;
}

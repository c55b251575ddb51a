import type { PassOutcome, PassReport } from '../watch/report.js';
import { formatElapsed } from './apply-progress.js';
import { styleFor, type Style } from './style.js';
import { changesWait } from './values.js';

/**
 * The one line that ends every watch pass, so a glance at the bottom of the terminal says where
 * things stand:
 *
 * ```
 * ✓ in sync
 * 2 changes pending (run with --apply, or "hsmctl apply", to make them)
 * ✓ applied 3 actions in 0.4s; in sync
 * configuration invalid: 2 errors (keeping the last good configuration) · ✓ in sync
 * ✓ in sync · 1 HSM unreachable: hsm-b
 * ```
 */

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function outcomeWords(outcome: PassOutcome, st: Style): string {
  switch (outcome.kind) {
    case 'in-sync':
      return st.green('✓ in sync');
    case 'waiting':
      return st.yellow(`nothing can be done now: ${changesWait(outcome.changes)}`);
    case 'pending':
      return st.yellow(`${plural(outcome.changes, 'change')} pending (run with --apply, or "hsmctl apply", to make them)`);
    case 'refused':
      // The refusals printed above say what would make the plan safe: --allow-destroy, members recovering first, or nothing (protect: true).
      return st.red(`✗ plan refused as a whole: nothing was changed (see the ${outcome.refusals === 1 ? 'refusal' : `${outcome.refusals} refusals`} above)`);
    case 'applied': {
      const took = `${plural(outcome.actions, 'action')} in ${formatElapsed(outcome.durationMs)}`;
      if (outcome.outcome === 'complete' && outcome.waiting !== undefined) {
        return st.yellow(`applied ${took}; ${changesWait(outcome.waiting)}`);
      }
      if (outcome.outcome === 'complete') return st.green(`✓ applied ${took}; in sync`);
      if (outcome.outcome === 'not-converged') return st.yellow(`applied ${took}, but the fleet still differs; looking again`);
      if (outcome.outcome === 'held-back') return st.yellow(`applied ${took}; the changes it held back are next; looking again`);
      return st.red(`✗ apply failed: ${outcome.failed} failed, ${outcome.notStarted} not started; will retry on the next change`);
    }
    case 'locked':
      return st.yellow(`waiting: ${outcome.message}; will retry when the lock is released`);
    case 'no-config':
      return 'nothing planned';
    case 'error':
      return st.red(`✗ pass failed: ${outcome.message}; will retry on the next change`);
    case 'interrupted':
      return st.yellow('interrupted: watch stopped between device operations; the next apply picks up where it stopped');
  }
}

/** The status line of a pass, with its newline. */
export function renderPassStatus(report: PassReport, colour: boolean): string {
  const st = styleFor(colour);
  const parts: string[] = [];
  if (report.invalidConfig !== undefined) {
    const kept = report.outcome.kind === 'no-config' ? 'no valid configuration yet' : 'keeping the last good configuration';
    parts.push(st.red(`configuration invalid: ${plural(report.invalidConfig.errors, 'error')} (${kept})`));
  }
  if (report.emptyConfig === true) {
    const kept = report.outcome.kind === 'no-config' ? 'nothing to reconcile towards' : 'keeping the last good configuration';
    parts.push(st.yellow(`configuration declares nothing (${kept})`));
  }
  parts.push(outcomeWords(report.outcome, st));
  if (report.unreachable.length > 0) {
    parts.push(st.yellow(`${plural(report.unreachable.length, 'HSM')} unreachable: ${report.unreachable.join(', ')}`));
  }
  return `${parts.join(` ${st.dim('·')} `)}\n`;
}

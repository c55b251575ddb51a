import type { ApplyEvent, ApplyListener } from '../reconcile/apply/events.js';
import { STOPPED } from '../reconcile/apply/result.js';
import { renderApplySummary } from './apply-summary.js';
import { styleFor } from './style.js';

/**
 * Apply progress as Terraform shows it: a line when each action starts and one when it ends, with
 * its timing, then the closing summary.
 *
 * ```
 * hsm.hsm-a: Creating... [hsm.create]
 * hsm.hsm-a: Creation complete after 0.2s
 * client.app-1: Already there, nothing to do (checked in 0.0s)
 * ```
 */

/** Seconds with one decimal under a minute, else minutes and seconds: `0.2s`, `1m5s`. */
export function formatElapsed(ms: number): string {
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${s % 60}s`;
}

/** One event as the lines it prints (possibly none). */
export function progressLines(event: ApplyEvent, colour: boolean): string[] {
  const st = styleFor(colour);
  switch (event.type) {
    case 'action.started':
      return [`${st.bold(event.action.address)}: ${event.action.doing}... ${st.dim(`[${event.action.kind}]`)}`];
    case 'action.progress':
      return [`${st.bold(event.action.address)}: ${event.message}`];
    case 'action.done':
      return event.result === 'unchanged (already there)'
        ? [`${st.bold(event.action.address)}: Already there, nothing to do (checked in ${formatElapsed(event.durationMs)})`]
        : [`${st.bold(event.action.address)}: ${event.action.done} after ${formatElapsed(event.durationMs)}`];
    case 'action.failed':
      return event.error.code === STOPPED
        ? [`${st.bold(event.action.address)}: ${st.yellow(`Stopped after ${formatElapsed(event.durationMs)}: ${event.error.message}`)}`]
        : [`${st.bold(event.action.address)}: ${st.red(`Failed after ${formatElapsed(event.durationMs)}`)}`];
    case 'run.finished':
      return ['', ...renderApplySummary(event.result, colour)];
    case 'run.started':
    case 'action.notStarted':
    case 'verify.started':
      return [];
  }
}

/** A listener that writes progress lines as events arrive. */
export function progressRenderer(write: (text: string) => void, options: { colour: boolean }): ApplyListener {
  return (event) => {
    const lines = progressLines(event, options.colour);
    if (lines.length > 0) write(`${lines.join('\n')}\n`);
  };
}

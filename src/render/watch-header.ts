import { formatDuration } from '../duration.js';
import type { Trigger } from '../watch/triggers.js';
import { styleFor } from './style.js';

/**
 * The lines that frame `hsmctl watch`: one header per pass saying when it ran and why,
 *
 * ```
 * ── 18:03:12 pass 3 · trigger: fleet/hsms.yaml changed ──
 * ```
 *
 * and the banner shown once when watching begins.
 */

/** How many changed files a header names before it says "and N more". */
const FILES_SHOWN = 3;

/** A trigger in words, e.g. `fleet/hsms.yaml changed`, `state changed (out of band)`, `interval (30s)`. */
export function triggerWords(trigger: Trigger): string {
  switch (trigger.kind) {
    case 'start':
      return 'start';
    case 'config': {
      const shown = trigger.files.slice(0, FILES_SHOWN).join(', ');
      const more = trigger.files.length - FILES_SHOWN;
      return `${shown}${more > 0 ? ` and ${more} more` : ''} changed`;
    }
    case 'state':
      return 'state changed (out of band)';
    case 'interval':
      return `interval (${formatDuration(trigger.ms)})`;
    case 'lock-released':
      return 'lock released';
    case 'follow-up':
      return `follow-up (${trigger.reason})`;
  }
}

/** Wall-clock time as `HH:MM:SS` (local time, as a person's terminal shows it). */
export function clockTime(at: Date): string {
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** `── 18:03:12 pass 3 · trigger: fleet/hsms.yaml changed ──`, preceded by a blank line after the first pass. */
export function renderPassHeader(pass: number, triggers: readonly Trigger[], at: Date, colour: boolean): string {
  const st = styleFor(colour);
  const words = triggers.map(triggerWords).join(' + ');
  const line = `${st.dim('──')} ${st.bold(`${clockTime(at)} pass ${pass}`)} ${st.dim('·')} trigger: ${words} ${st.dim('──')}`;
  return `${pass > 1 ? '\n' : ''}${line}\n`;
}

/** What watching covers, shown once at the start. */
export interface WatchBanner {
  /** The configuration path as the user gave it. */
  config: string;
  /** The state directory as shown to the user. */
  state: string;
  /** Whether passes apply. */
  apply: boolean;
  /** Re-observe period (ms); 0 when off. */
  intervalMs: number;
}

export function renderWatchBanner(banner: WatchBanner, colour: boolean): string {
  const st = styleFor(colour);
  const every = banner.intervalMs > 0 ? `, and re-observing every ${formatDuration(banner.intervalMs)}` : '';
  const mode = banner.apply ? 'planning and applying' : 'planning (not applying: add --apply for that)';
  return `${st.bold(`Watching ${banner.config} and the world in ${banner.state}`)}${every}; ${mode}. Press Ctrl-C to stop.\n\n`;
}

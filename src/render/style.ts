import type { ChangeType } from '../reconcile/plan/types.js';

/**
 * ANSI styling for human output. Every function is the identity when colour is off, so renderers
 * write their text once and callers decide (a terminal, and no `NO_COLOR`).
 */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
  /** The colour of a change type's marker. */
  change(change: ChangeType, text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function styleFor(colour: boolean): Style {
  if (!colour) {
    const same = (text: string): string => text;
    return { bold: same, dim: same, green: same, yellow: same, red: same, cyan: same, change: (_c, text) => text };
  }
  const green = sgr(32, 39);
  const yellow = sgr(33, 39);
  const red = sgr(31, 39);
  const cyan = sgr(36, 39);
  const byChange: Record<ChangeType, (text: string) => string> = { create: green, update: yellow, delete: red, replace: red, recover: cyan };
  return { bold: sgr(1, 22), dim: sgr(2, 22), green, yellow, red, cyan, change: (c, text) => byChange[c](text) };
}

/** The marker of a change type: `+ ~ - -/+`, and `~` for a recovery. */
export const MARKERS: Record<ChangeType, string> = { create: '+', update: '~', delete: '-', replace: '-/+', recover: '~' };

/** Whether colour may be used on a stream: only on a terminal, and never with NO_COLOR set. */
export function colourWanted(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined;
}

import type { ResultWord } from '../actions/types.js';
import type { ActionKind, ChangeType } from '../plan/types.js';
import type { ApplyResult } from './result.js';

/**
 * What the executor tells the world while it runs (Terraform's hooks, Vitest's reporter calls).
 * The executor never prints: a renderer turns these into progress lines or a JSON document.
 */

/** The action an event is about, with the words its progress lines use. */
export interface ActionRef {
  id: string;
  kind: ActionKind;
  address: string;
  change: ChangeType;
  /** Present participle for the start line, e.g. `Creating`. */
  doing: string;
  /** Completion for the end line, e.g. `Creation complete`. */
  done: string;
}

/** A failure, as reported (never a secret; never a stack). */
export interface ApplyErrorInfo {
  /** The device's or hsmctl's error code, e.g. `LUNA_RET_UM_PIN_INCORRECT`, `so.attemptsLeft`; `internal` for a bug. */
  code: string;
  message: string;
}

/** One thing that happened during a run. */
export type ApplyEvent =
  /** The run begins: this many actions, at most `parallelism` at a time. */
  | { type: 'run.started'; run: string; actions: number; parallelism: number }
  /** An action began (its intent is journalled). */
  | { type: 'action.started'; action: ActionRef }
  /** A running action has something to say (e.g. it is still waiting for provisioning). */
  | { type: 'action.progress'; action: ActionRef; message: string }
  /** An action finished; `result` completes "…has been" (`created`, `unchanged (already there)`). */
  | { type: 'action.done'; action: ActionRef; result: ResultWord; durationMs: number }
  /** An action failed; nothing new starts after this. */
  | { type: 'action.failed'; action: ActionRef; error: ApplyErrorInfo; durationMs: number }
  /** An action was never started because an earlier one failed. */
  | { type: 'action.notStarted'; action: ActionRef }
  /** Every action is done; the world is being read again to confirm nothing is left to do. */
  | { type: 'verify.started' }
  /** The run is over. */
  | { type: 'run.finished'; result: ApplyResult };

/** Receives events, in the order they happen. */
export type ApplyListener = (event: ApplyEvent) => void;

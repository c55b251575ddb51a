import type { DesiredFleet } from '../../config/types.js';
import type { FleetDriver } from '../../fleet/driver.js';
import type { Hsm, ObservedFleet } from '../../fleet/types.js';
import type { ActionKind, ActionOf } from '../plan/types.js';
import type { SoGuard } from './so-guard.js';

/**
 * The contract of one action kind's handler: how its progress reads (`describe`) and how it is
 * carried out (`apply`). Every handler first reads the world afresh and returns
 * `unchanged (already there)` when its effect is already in place, so that a run repeated after
 * a crash never does a step twice (controller-runtime's "level-based" reconcile).
 */

/** How an action finished, completing the sentence "the target has been …". */
export type ResultWord =
  | 'created'
  | 'initialized'
  | 'zeroized'
  | 'deleted'
  | 'added'
  | 'removed'
  | 'registered'
  | 'deregistered'
  | 'assigned'
  | 'revoked'
  | 'written'
  | 'configured'
  | 'recovered'
  | 'replaced'
  | 'unchanged (already there)';

/** The result word of a step whose effect was found in place. */
export const ALREADY_THERE = 'unchanged (already there)' satisfies ResultWord;

/** Words of the progress lines: `<address>: <doing>...` and `<address>: <done> after 0.2s`. */
export interface ActionWords {
  /** Present participle, e.g. `Creating`, `Adding member`. */
  doing: string;
  /** Completion, e.g. `Creation complete`, `Member added`. */
  done: string;
}

/** What a handler may use while it runs. */
export interface ActionContext {
  /** The devices. */
  driver: FleetDriver;
  /** The configuration the plan was made for: secrets come from here, at the moment of the call. */
  desired: DesiredFleet;
  /** A fresh read of the whole world (never a cached one). */
  observe(): Promise<ObservedFleet>;
  /** Guards SO logins: attempts left, one refusal per HSM at most, one login per HSM at a time. */
  soGuard: SoGuard;
  /** Waits (polling, bounded) until the HSM has left PENDING; returns it as then observed. */
  waitUntilProvisioned(hsmArn: string, name: string): Promise<Hsm>;
  /** Reports something worth showing while the action runs (e.g. still waiting). */
  progress(message: string): void;
}

/** The handler of one action kind. */
export interface ActionHandler<K extends ActionKind> {
  /** The words its progress lines use. */
  describe(action: ActionOf<K>): ActionWords;
  /** Carries the action out, or finds it done; throws when the devices refuse. */
  apply(action: ActionOf<K>, ctx: ActionContext): Promise<ResultWord>;
}

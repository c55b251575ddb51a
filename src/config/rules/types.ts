import type { Diagnostic } from '../diagnostic.js';
import type { Entries, Entry } from '../entries.js';
import type { AutoRecoveryPolicy } from '../types.js';

/** What every semantic rule sees: all items of all files, and indexes built once. */
export interface RuleContext {
  /** Every declared item, in file order. */
  entries: Entries;
  /**
   * False when a file could not be parsed: names it declares are unknown, so rules do not report
   * references to them as missing.
   */
  complete: boolean;
  /** HSMs by name (the first definition of a duplicated name). */
  hsmByName: ReadonlyMap<string, Entry>;
  /** HAPGs by label (the first definition of a duplicated label). */
  hapgByLabel: ReadonlyMap<string, Entry>;
  /** The global autoRecovery policy (the first one declared), with defaults filled. */
  globalPolicy: AutoRecoveryPolicy | undefined;
}

/** One semantic rule of SPEC §2: a pure check over the whole configuration. */
export interface Rule {
  /** Stable identifier, e.g. `unique-hsm-names`. */
  name: string;
  /** Returns every problem found; never throws on malformed items. */
  check(ctx: RuleContext): Diagnostic[];
}

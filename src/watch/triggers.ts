/**
 * Why a watch pass runs. Triggers are only reasons to look again: a pass re-reads every
 * configuration file and re-observes the whole world whatever woke it (level-triggered), so
 * triggers that pile up while waiting are merged into one pass that names them all.
 */

/** One reason to run a pass. */
export type Trigger =
  /** The first pass, when watching begins. */
  | { kind: 'start' }
  /** Configuration files (or secret files they reference) were written, added or removed. */
  | { kind: 'config'; files: string[] }
  /** A document of the emulated world changed, and not by one of watch's own passes. */
  | { kind: 'state' }
  /** The periodic re-observe (`--interval`), so drift and failures show up without a save. */
  | { kind: 'interval'; ms: number }
  /** Another process released the apply lock that held up the previous pass. */
  | { kind: 'lock-released' }
  /** The previous pass asked to look again (e.g. the fleet still differed after an apply). */
  | { kind: 'follow-up'; reason: string };

/** The kinds in the order a header names them. */
const ORDER: readonly Trigger['kind'][] = ['start', 'config', 'state', 'lock-released', 'follow-up', 'interval'];

/**
 * The triggers of a pass, merged: one entry per kind, the changed files of every config trigger
 * together (each once, in the order they were first seen), in header order.
 */
export function mergeTriggers(triggers: readonly Trigger[]): Trigger[] {
  const byKind = new Map<Trigger['kind'], Trigger>();
  for (const t of triggers) {
    const seen = byKind.get(t.kind);
    if (seen?.kind === 'config' && t.kind === 'config') {
      byKind.set('config', { kind: 'config', files: [...new Set([...seen.files, ...t.files])] });
    } else if (seen === undefined) {
      byKind.set(t.kind, t.kind === 'config' ? { kind: 'config', files: [...new Set(t.files)] } : t);
    }
  }
  return ORDER.flatMap((kind) => {
    const t = byKind.get(kind);
    return t === undefined ? [] : [t];
  });
}

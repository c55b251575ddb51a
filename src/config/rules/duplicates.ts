import type { Diagnostic, Segment } from '../diagnostic.js';
import { diagnosticAt, whereIn } from '../entries.js';
import type { Entry } from '../entries.js';

/** Where an item's identity was written, and what it is. */
export interface Identity {
  value: string;
  /** Path of the identity inside the item, e.g. `['name']`. */
  segs: Segment[];
}

/**
 * Reports every item whose identity was already used, at the repeated value, citing the first
 * place. `skip(first, repeat)` silences a pair another rule already reports.
 */
export function duplicates(
  items: readonly Entry[],
  identityOf: (entry: Entry) => Identity | undefined,
  what: string,
  skip?: (first: Entry, repeat: Entry) => boolean,
): Diagnostic[] {
  const first = new Map<string, { entry: Entry; id: Identity }>();
  const out: Diagnostic[] = [];
  for (const entry of items) {
    const id = identityOf(entry);
    if (id === undefined) continue;
    const seen = first.get(id.value);
    if (seen === undefined) {
      first.set(id.value, { entry, id });
      continue;
    }
    if (skip?.(seen.entry, entry) === true) continue;
    out.push(
      diagnosticAt(entry, 'error', id.segs, `duplicate ${what} "${id.value}" (first defined at ${whereIn(seen.entry, seen.id.segs)})`),
    );
  }
  return out;
}

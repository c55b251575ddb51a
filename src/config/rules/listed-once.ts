import type { Diagnostic } from '../diagnostic.js';
import { diagnosticAt, strings, whereIn } from '../entries.js';
import type { Entry } from '../entries.js';

/** Reports each repeated string in a list field, at the repeat, citing the first listing. */
export function listedOnce(items: readonly Entry[], field: string, what: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const entry of items) {
    const first = new Map<string, number>();
    for (const { value, index } of strings(entry, field)) {
      const at = first.get(value);
      if (at === undefined) first.set(value, index);
      else out.push(diagnosticAt(entry, 'error', [field, index], `${what} "${value}" is listed twice (first at ${whereIn(entry, [field, at])})`));
    }
  }
  return out;
}

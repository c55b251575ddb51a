import type { ErrorObject } from 'ajv/dist/2020.js';
import { formatPath } from './diagnostic.js';
import type { Diagnostic, Segment } from './diagnostic.js';
import type { SourceFile } from './source.js';
import { didYouMean, nearest } from './suggest.js';

/**
 * Turns ajv's errors for one file into located, human diagnostics. Reasons come from the
 * schema's `errorMessage` annotations where it has them; unknown keys point at the key and
 * suggest the nearest known one; a missing key points at the mapping that lacks it. No message
 * repeats a value from the file, so a secret written where a reference belongs is never echoed.
 */
export function schemaDiagnostics(errors: readonly ErrorObject[], file: SourceFile): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    const segs = segmentsOf(error.instancePath, file.data);
    const d = translate(error, segs, file);
    const id = `${d.path}\0${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  return out;
}

function translate(error: ErrorObject, segs: Segment[], file: SourceFile): Diagnostic {
  const schema = (error.parentSchema ?? {}) as { properties?: Record<string, unknown>; errorMessage?: unknown };
  const custom = customMessage(schema.errorMessage, error.keyword);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(schema.properties ?? {});
      const suggestion = nearest(key, known);
      const keySegs = [...segs, key];
      // A schema with its own reason (a secret reference) does not echo the key, not even in
      // the path: a secret pasted as a key (`{ hunter2 }`) must not be printed.
      if (suggestion === undefined && custom !== undefined) return { ...file.diagnostic('error', keySegs, custom, { key: true }), path: formatPath(segs) };
      const message = suggestion !== undefined
        ? `unknown key "${key}"${didYouMean(suggestion)}`
        : `unknown key "${key}" (expected ${known.map((k) => `"${k}"`).join(', ')})`;
      return file.diagnostic('error', keySegs, message, suggestion === undefined ? { key: true } : { key: true, suggestion });
    }
    case 'required':
      return file.diagnostic('error', segs, `missing required key "${String(params.missingProperty)}"`);
    case 'type':
      return file.diagnostic('error', segs, custom ?? typeMessage(String(params.type), error.data));
    default:
      return file.diagnostic('error', segs, custom ?? genericMessage(error));
  }
}

/** A schema's `errorMessage`: one string for every value keyword, or a message per keyword. */
function customMessage(annotation: unknown, keyword: string): string | undefined {
  if (typeof annotation === 'string') return keyword === 'required' || keyword === 'additionalProperties' ? undefined : annotation;
  if (annotation !== null && typeof annotation === 'object') {
    const message = (annotation as Record<string, unknown>)[keyword];
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'empty',
};

function typeMessage(expected: string, data: unknown): string {
  const words = expected.split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  const quote = expected === 'string' && (typeof data === 'number' || typeof data === 'boolean') ? ' (put it in quotes)' : '';
  return `must be ${words}${quote}`;
}

function genericMessage(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    case 'format':
      return `must be a valid ${String(p.format)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? `is invalid (${error.keyword})`;
  }
}

/** `/hsms/0/name` → `['hsms', 0, 'name']`, numbering only where the data holds a list. */
function segmentsOf(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return [];
  const segs: Segment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      segs.push(index);
      node = node[index];
    } else {
      segs.push(key);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return segs;
}

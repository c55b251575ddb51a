import { isUnknown, SENSITIVE } from '../reconcile/plan/index.js';
import type { Action, ActionKind, ChangeType, FieldValue } from '../reconcile/plan/types.js';
import { colourDiffLine, unifiedDiff } from './plan-text-diff.js';
import { MARKERS, type Style } from './style.js';
import { formatValue, sameValue } from './values.js';

/**
 * One action in the text plan: its marker, kind and address, the reason as a comment, then its
 * fields (`+ field = value`, `~ field = before -> after`, `- field = value`). A multi-line text
 * field (a generated file such as `Chrystoki.conf`) is shown as a unified diff.
 *
 * A fleet's plan has tens of thousands of actions, so the text is not built line by line: the
 * pieces are pushed onto the plan's list of parts (each line ending in `'\n'`), as few and as
 * little newly built as possible. The styled text that repeats (an action's head, the start of a
 * field line up to `= `) is built once per renderer; the plan's own strings are pushed as they are.
 */

/** Where the generated files live on the client, for diff headers. */
const FILE_PATHS: Record<string, string> = { chrystokiConf: '/etc/Chrystoki.conf' };

const FIELD_INDENT = '        ';
const DIFF_INDENT = '          ';

type FieldMarker = '+' | '~' | '-';

/** A field shown on its own line, before padding: its marker and the values to show. */
interface FieldLine {
  marker: FieldMarker;
  key: string;
  before: FieldValue | undefined;
  after: FieldValue | undefined;
}

/** Renders actions into a list of text parts, in one style. */
export class ActionRenderer {
  readonly #st: Style;
  /** The field markers, styled. */
  readonly #markers: Record<FieldMarker, string>;
  /** What comes between an action's address and its reason, and after the reason. */
  readonly #reasonOpen: string;
  readonly #reasonClose: string;
  /** `  <marker> <kind> ` by change and kind, styled. */
  readonly #heads = new Map<ChangeType, Map<ActionKind, string>>();
  /** `        <marker> <key padded> = ` by marker, key and padded width. */
  readonly #fieldStarts: Record<FieldMarker, Map<string, string[]>> = { '+': new Map(), '~': new Map(), '-': new Map() };

  constructor(st: Style) {
    this.#st = st;
    this.#markers = { '+': st.green('+'), '~': st.yellow('~'), '-': st.red('-') };
    const [dimOpen, dimClose] = wrapping(st.dim);
    this.#reasonOpen = `\n${FIELD_INDENT}${dimOpen}# `;
    this.#reasonClose = `${dimClose}\n`;
  }

  /** Appends the action's lines to `out`. */
  render(action: Action, out: string[]): void {
    out.push(this.#head(action.change, action.kind), action.address, this.#reasonOpen, action.reason, this.#reasonClose);
    const { before, after } = action;
    const fields: FieldLine[] = [];
    let diffs: string[] | undefined;
    let width = 0;
    for (const key of keysOf(before, after)) {
      const was = before?.[key];
      const now = after?.[key];
      if (isMultiline(was) || isMultiline(now)) {
        (diffs ??= []).push(...this.#fileDiff(key, was, now));
        continue;
      }
      const marker = fieldMarker(action.change, before !== null && key in before, after !== null && key in after, was, now);
      if (marker === undefined) continue;
      fields.push({ marker, key, before: was, after: now });
      if (key.length > width) width = key.length;
    }
    for (const f of fields) {
      const start = this.#fieldStart(f.marker, f.key, width);
      if (f.marker === '+') pushValueLine(out, start, f.after);
      else if (f.marker === '-') pushValueLine(out, start, f.before);
      else if (f.before === SENSITIVE && f.after === SENSITIVE) out.push(start, SENSITIVE, '\n');
      else out.push(start, `${formatValue(f.before)} -> ${formatValue(f.after)}`, '\n');
    }
    if (diffs !== undefined) for (const line of diffs) out.push(line, '\n');
  }

  #head(change: ChangeType, kind: ActionKind): string {
    let byKind = this.#heads.get(change);
    if (byKind === undefined) this.#heads.set(change, (byKind = new Map()));
    let head = byKind.get(kind);
    if (head === undefined) {
      head = `  ${this.#st.change(change, MARKERS[change].padStart(3))} ${this.#st.bold(kind)} `;
      byKind.set(kind, head);
    }
    return head;
  }

  #fieldStart(marker: FieldMarker, key: string, width: number): string {
    let byWidth = this.#fieldStarts[marker].get(key);
    if (byWidth === undefined) this.#fieldStarts[marker].set(key, (byWidth = []));
    return (byWidth[width] ??= `${FIELD_INDENT}${this.#markers[marker]} ${key.padEnd(width)} = `);
  }

  /** A generated file's lines: `~ key (path):` then the indented, coloured unified diff. */
  #fileDiff(key: string, before: FieldValue | undefined, after: FieldValue | undefined): string[] {
    const path = FILE_PATHS[key] ?? key;
    if (isUnknown(after)) {
      return [`${FIELD_INDENT}${this.#st.yellow(before === undefined || before === null ? '+' : '~')} ${key} = (known after apply)`];
    }
    const oldText = typeof before === 'string' ? before : '';
    const newText = typeof after === 'string' ? after : '';
    const marker = oldText === '' ? '+' : newText === '' ? '-' : '~';
    const lines = [`${FIELD_INDENT}${this.#markers[marker]} ${key} (${path}):`];
    for (const line of unifiedDiff(path, oldText, newText)) lines.push(DIFF_INDENT + colourDiffLine(line, this.#st));
    return lines;
  }
}

/** The field names of before then after, each once, in that order. */
function keysOf(before: Action['before'], after: Action['after']): string[] {
  if (before === null) return after === null ? [] : Object.keys(after);
  const keys = Object.keys(before);
  if (after !== null) for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) keys.push(key);
  return keys;
}

function isMultiline(value: FieldValue | undefined): value is string {
  return typeof value === 'string' && value.includes('\n');
}

/** How a single-line field shows: added, removed, changed, or not at all (unchanged). */
function fieldMarker(
  change: ChangeType,
  hadBefore: boolean,
  hasAfter: boolean,
  before: FieldValue | undefined,
  after: FieldValue | undefined,
): FieldMarker | undefined {
  if (!hadBefore) return '+';
  if (!hasAfter) return '-';
  if (before === SENSITIVE && after === SENSITIVE) return change === 'replace' ? '~' : undefined;
  return sameValue(before, after) ? undefined : '~';
}

/** Characters `JSON.stringify` escapes in a string (and surrogates, which it may). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Pushes `start`, the value as `formatValue` shows it, and the line's end. A string that JSON
 * would not escape is pushed between quotes as it is, rather than encoded into a new string.
 */
function pushValueLine(out: string[], start: string, value: FieldValue | undefined): void {
  if (typeof value === 'string' && value !== SENSITIVE && !JSON_ESCAPED.test(value)) out.push(start, '"', value, '"\n');
  else out.push(start, formatValue(value), '\n');
}

/**
 * The text a style function puts before and after what it wraps (both empty without colour), so
 * a wrapped text can be pushed between them instead of being built into a new string.
 */
function wrapping(wrap: (text: string) => string): [string, string] {
  const [open = '', close = ''] = wrap('\u0000').split('\u0000');
  return [open, close];
}

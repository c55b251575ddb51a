import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { isUnknown, SENSITIVE } from '../reconcile/plan/index.js';
import type { Action, ChangeType, FieldValue } from '../reconcile/plan/types.js';
import { MARKERS, type Style } from './style.js';
import { formatValue, sameValue } from './values.js';

/**
 * One action in the text plan: its marker, kind and address, the reason as a comment, then its
 * fields (`+ field = value`, `~ field = before -> after`, `- field = value`). A multi-line text
 * field (a generated file such as `Chrystoki.conf`) is shown as a unified diff.
 */

/** Where the generated files live on the client, for diff headers. */
const FILE_PATHS: Record<string, string> = { chrystokiConf: '/etc/Chrystoki.conf' };

interface FieldLine {
  marker: '+' | '~' | '-';
  key: string;
  text: string;
}

export function renderAction(action: Action, st: Style): string[] {
  const marker = MARKERS[action.change];
  const lines = [`  ${st.change(action.change, marker.padStart(3))} ${st.bold(action.kind)} ${action.address}`];
  lines.push(`        ${st.dim(`# ${action.reason}`)}`);
  const fields: FieldLine[] = [];
  const diffs: string[][] = [];
  for (const key of keysOf(action)) {
    const before = action.before?.[key];
    const after = action.after?.[key];
    if (isMultiline(before) || isMultiline(after)) {
      diffs.push(renderFileDiff(key, before, after, st));
      continue;
    }
    const line = fieldLine(action.change, action.before !== null && key in action.before, action.after !== null && key in action.after, key, before, after);
    if (line !== undefined) fields.push(line);
  }
  const width = Math.max(0, ...fields.map((f) => f.key.length));
  for (const f of fields) lines.push(`        ${colourMarker(f.marker, st)} ${f.key.padEnd(width)} = ${f.text}`);
  for (const d of diffs) lines.push(...d);
  return lines;
}

function keysOf(action: Action): string[] {
  const keys = [...Object.keys(action.before ?? {}), ...Object.keys(action.after ?? {})];
  return [...new Set(keys)];
}

function isMultiline(value: FieldValue | undefined): value is string {
  return typeof value === 'string' && value.includes('\n');
}

function fieldLine(
  change: ChangeType,
  hadBefore: boolean,
  hasAfter: boolean,
  key: string,
  before: FieldValue | undefined,
  after: FieldValue | undefined,
): FieldLine | undefined {
  if (!hadBefore) return { marker: '+', key, text: formatValue(after) };
  if (!hasAfter) return { marker: '-', key, text: formatValue(before) };
  if (before === SENSITIVE && after === SENSITIVE) return change === 'replace' ? { marker: '~', key, text: SENSITIVE } : undefined;
  if (sameValue(before, after)) return undefined;
  return { marker: '~', key, text: `${formatValue(before)} -> ${formatValue(after)}` };
}

function colourMarker(marker: FieldLine['marker'], st: Style): string {
  return marker === '+' ? st.green(marker) : marker === '-' ? st.red(marker) : st.yellow(marker);
}

function renderFileDiff(key: string, before: FieldValue | undefined, after: FieldValue | undefined, st: Style): string[] {
  const path = FILE_PATHS[key] ?? key;
  if (isUnknown(after)) {
    return [`        ${st.yellow(before === undefined || before === null ? '+' : '~')} ${key} = (known after apply)`];
  }
  const oldText = typeof before === 'string' ? before : '';
  const newText = typeof after === 'string' ? after : '';
  const patch = createTwoFilesPatch(`a${path}`, `b${path}`, oldText, newText, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
    context: 3,
  });
  const marker = oldText === '' ? '+' : newText === '' ? '-' : '~';
  const body = patch
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const coloured = line.startsWith('+') && !line.startsWith('+++') ? st.green(line) : line.startsWith('-') && !line.startsWith('---') ? st.red(line) : line.startsWith('@@') ? st.cyan(line) : line;
      return `          ${coloured}`;
    });
  return [`        ${colourMarker(marker, st)} ${key} (${path}):`, ...body];
}

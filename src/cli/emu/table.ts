import type { CliIo } from '../io.js';

/**
 * Plain-text layout for `hsmctl emu`: aligned tables (`ls`, `keys list`) and indented field lists
 * (`show`). No colour: this output is read by people and by tests alike.
 */

/** Rows under a header, columns padded to their widest cell, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One entry of a field list: a label and its value, or a heading with indented lines under it. */
export type Field = readonly [label: string, value: string] | readonly [label: string, lines: string[]];

/** `Title` followed by `  Label:  value` lines aligned on the values; list fields indent their lines. */
export function fields(title: string, entries: Field[]): string {
  const width = Math.max(...entries.map(([label]) => label.length + 1));
  const out = [title];
  for (const [label, value] of entries) {
    if (typeof value === 'string') {
      out.push(`  ${`${label}:`.padEnd(width)}  ${value}`);
    } else {
      out.push(`  ${label}:${value.length === 0 ? ' none' : ''}`);
      out.push(...value.map((v) => `    ${v}`));
    }
  }
  return out.join('\n');
}

/** `k=v, k=v` for tags, `none` without any. */
export function tagList(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** Prints one JSON document on stdout. */
export function printJson(io: CliIo, document: unknown): void {
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

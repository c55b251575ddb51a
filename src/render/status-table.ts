/**
 * Aligned columns for `hsmctl status`. A cell may carry a colour, applied after padding so that
 * escape codes never count towards a column's width.
 */

/** One cell: its text and how to colour it (identity when colour is off). */
export interface Cell {
  text: string;
  paint?: (text: string) => string;
}

/** A plain cell or a coloured one. */
export type CellLike = string | Cell;

function cell(c: CellLike): Cell {
  return typeof c === 'string' ? { text: c } : c;
}

/** Rows under a header, columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function table(header: string[], rows: CellLike[][]): string[] {
  const cells = rows.map((r) => r.map(cell));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.text.length ?? 0)));
  const line = (row: Cell[]): string => {
    const parts = row.map((c, i) => {
      const padded = i === row.length - 1 ? c.text : c.text.padEnd(widths[i] ?? 0);
      if (c.paint === undefined) return padded;
      return c.paint(c.text) + padded.slice(c.text.length);
    });
    return parts.join('  ').trimEnd();
  };
  return [line(header.map((text) => ({ text }))), ...cells.map(line)];
}

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { expect } from 'vitest';
import type { Segment } from '../../src/config/diagnostic.js';
import { readDocument } from '../../src/config/plain.js';
import type { ReadDocument } from '../../src/config/plain.js';

/** A fast reader of configuration files: the same result as composing the document, or undefined. */
export type FastReader = (text: string, lines: LineCounter) => ReadDocument | undefined;

/**
 * Whether `read` takes the text; when it does, it must give exactly what composing the document
 * gives (data, every offset, line starts), and the library must report no problem in the text.
 */
export function agreesWithLibrary(read: FastReader, text: string): boolean {
  const lines = new LineCounter();
  const fast = read(text, lines);
  if (fast === undefined) return false;
  const fullLines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: fullLines, prettyErrors: false, logLevel: 'silent' });
  expect(doc.errors.map((e) => e.code)).toEqual([]);
  expect(doc.warnings.map((e) => e.code)).toEqual([]);
  const full = readDocument(doc, 1000);
  expect(fast.data).toStrictEqual(full.data);
  for (const path of pathsOf(full.data)) {
    for (const key of [false, true]) expect([path, key, fast.offsets.offsetOf(path, key)]).toEqual([path, key, full.offsets.offsetOf(path, key)]);
  }
  expect(lines.lineStarts).toEqual(fullLines.lineStarts);
  return true;
}

/** Every path into the data, and one step past the end of each collection. */
function pathsOf(data: unknown, prefix: Segment[] = []): Segment[][] {
  const out: Segment[][] = [prefix];
  if (Array.isArray(data)) {
    data.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
    out.push([...prefix, data.length]);
  } else if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) out.push(...pathsOf(v, [...prefix, k]));
    out.push([...prefix, 'absent']);
  }
  return out;
}

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Up to three edits of a text: a character or two inserted or deleted, or a line repeated. */
export const damage = fc.array(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('insert', 'delete', 'repeat-line'),
    char: fc.constantFrom(' ', '\n', ':', '-', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '?', '  ', '- ', ': '),
  }),
  { maxLength: 3 },
);

export function damaged(text: string, edits: readonly { at: number; kind: string; char: string }[]): string {
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    if (e.kind === 'insert') text = text.slice(0, at) + e.char + text.slice(at);
    else if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + 1);
    else {
      const start = text.lastIndexOf('\n', at - 1) + 1;
      const end = text.indexOf('\n', at);
      const line = text.slice(start, end < 0 ? text.length : end + 1);
      text = text.slice(0, start) + line + (line.endsWith('\n') ? '' : '\n') + text.slice(start);
    }
  }
  return text;
}

import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { Style } from './style.js';

/**
 * A generated file's change as a unified diff (`--- a/path`, `+++ b/path`, hunks with three
 * lines of context), one string per line, no trailing newline. The `diff` package is slow next to
 * the rest of the plan, so it is called only when both sides have content and differ: a file
 * created or removed whole is one hunk of added or removed lines, built here line for line as the
 * package would build it; an unchanged file is its two headers.
 */
export function unifiedDiff(path: string, oldText: string, newText: string): string[] {
  const headers = [`--- a${path}`, `+++ b${path}`];
  if (oldText === newText) return headers;
  if (oldText === '') return [...headers, ...wholeFileHunk('+', newText)];
  if (newText === '') return [...headers, ...wholeFileHunk('-', oldText)];
  const patch = createTwoFilesPatch(`a${path}`, `b${path}`, oldText, newText, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
    context: 3,
  });
  return patch.replace(/\n$/, '').split('\n');
}

/**
 * The one hunk of a file added (`+`) or removed (`-`) whole: `@@ -0,0 +1,N @@` (or `-1,N +0,0`),
 * every line marked, and `\ No newline at end of file` when the text does not end with one.
 */
function wholeFileHunk(sign: '+' | '-', text: string): string[] {
  const lines = text.split('\n');
  const endsWithNewline = lines.at(-1) === '';
  if (endsWithNewline) lines.pop();
  const range = `1,${lines.length}`;
  const out = [sign === '+' ? `@@ -0,0 +${range} @@` : `@@ -${range} +0,0 @@`];
  for (const line of lines) out.push(sign + line);
  if (!endsWithNewline) out.push('\\ No newline at end of file');
  return out;
}

/** A diff line's colour: added green, removed red, hunk headers cyan, the rest plain. */
export function colourDiffLine(line: string, st: Style): string {
  if (line.startsWith('+')) return line.startsWith('+++') ? line : st.green(line);
  if (line.startsWith('-')) return line.startsWith('---') ? line : st.red(line);
  return line.startsWith('@@') ? st.cyan(line) : line;
}

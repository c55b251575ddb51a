import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/render/plan-text-diff.js';

/** What the `diff` package makes of the change, split into lines as the plan shows them. */
function packageDiff(path: string, oldText: string, newText: string): string[] {
  const patch = createTwoFilesPatch(`a${path}`, `b${path}`, oldText, newText, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY, context: 3 });
  return patch.replace(/\n$/, '').split('\n');
}

/** Texts made of lines that look like diff syntax, blank lines, CRs and missing final newlines. */
const text = fc
  .array(fc.constantFrom('a', 'b', '', '+', '++x', '-', '--', '@@', ' ', '\\', '\r', 'ServerName00 = 10.0.1.5;'), { maxLength: 12 })
  .chain((lines) => fc.constantFrom(lines.join('\n'), `${lines.join('\n')}\n`));

describe('unifiedDiff', () => {
  it('builds a whole-file hunk exactly as the diff package does', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(unifiedDiff('/etc/x.conf', '', t)).toEqual(packageDiff('/etc/x.conf', '', t));
        expect(unifiedDiff('/etc/x.conf', t, '')).toEqual(packageDiff('/etc/x.conf', t, ''));
      }),
      { numRuns: 500 },
    );
  });

  it('shows an unchanged file as its headers, and a change as the package does', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(unifiedDiff('/p', a, a)).toEqual(['--- a/p', '+++ b/p']);
        expect(unifiedDiff('/p', a, b)).toEqual(packageDiff('/p', a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('marks a created file line by line, noting a missing final newline', () => {
    expect(unifiedDiff('/f', '', 'one\ntwo')).toEqual(['--- a/f', '+++ b/f', '@@ -0,0 +1,2 @@', '+one', '+two', '\\ No newline at end of file']);
  });
});

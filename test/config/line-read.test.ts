import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { LineCounter, stringify } from 'yaml';
import type { ToStringOptions } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/config/line-read.js';
import { agreesWithLibrary, damage, damaged, yamlFiles } from './reader-oracle.js';

const agrees = (text: string): boolean => agreesWithLibrary(readLines, text);

/** `depth` mappings, each inside the one before. */
const nested = (depth: number): string => Array.from({ length: depth }, (_, k) => `${' '.repeat(k)}a:\n`).join('') + `${' '.repeat(depth)}b: 1\n`;

describe('reading the plainest configuration files line by line', () => {
  it('reads every example and fixture configuration as composing does, without falling back', () => {
    const files = [...yamlFiles('examples'), ...yamlFiles('test/fixtures')];
    expect(files.length).toBeGreaterThan(6);
    for (const file of files) expect([file, agrees(readFileSync(file, 'utf8'))]).toEqual([file, true]);
  });

  it.each([
    ['comments everywhere', '# top\na: 1 # one\nb:\n  # inside\n  - x # item\n\n  # between\n  - y\n# end\n'],
    ['nested mappings and sequences', 'hsms:\n  - name: hsm-a\n    tags: [x, 1]\n    inner:\n      deep: true\n  - name: hsm-b\nlast: x~\n'],
    ['a sequence at the key indentation', 'list:\n- a\n- b: 1\n  c: 2\nnext: 3\n'],
    ['absent values', 'a:\nb:\n  c:\nd: x\n'],
    ['flow collections of scalars', 'a: [x, "y", 1, null]\nb: { retry: 10, interval: 120 }\nc: []\nd: {}\ne: [ spaced , out ]\n'],
    ['plain scalars with colons, spaces and signs', 'arn: arn:aws:cloudhsm:us-east-1:1:hsm-1\nurl: http://x.y/z\ntext: two words\nn: -5\nf: 1.5e3\nip: 10.0.0.1\n'],
    ['core schema words', 'a: [0o17, 0x1F, +3, .5, True, FALSE, Null, 1_000, yes]\nb: true\nc: null\n'],
    ['quoted strings and keys', '"quoted key": \'single\'\nk: "with # hash: and, comma"\n\'\': empty key\n'],
    ['keys every object has', '__proto__: { polluted: true }\ntoString: text\n'],
    ['no final newline', 'a: 1\nb: [x]'],
    ['a root mapping indented', '  a: 1\n  b: 2\n'],
    ['nesting up to the reader\'s depth', nested(63)],
    ['a document start marker', '# c\n--- # start\na: 1\n'],
  ])('reads %s as composing does', (_name, text) => {
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['a second document marker', '---\na: 1\n---\nb: 2\n'],
    ['a mapping on the marker line', '--- a: 1\n'],
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['an escape in a quoted string', 'a: "x\\ty"\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['a number as a key', '1: a\n'],
    ['a tab', 'a:\t1\n'],
    ['an empty sequence item', 'a:\n  -\n  - b\n'],
    ['a nested sequence on one line', '- - a\n'],
    ['a trailing comma', 'a: [x, ]\n'],
    ['a nested flow collection', 'a: [[x]]\n'],
    ['a comment stuck to a value', 'a: "x"#c\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a deeper line after a value', 'a: 1\n  b: 2\n'],
    ['a sequence item among keys', 'a: 1\n- b\n'],
    ['a value of two spaced words', 'a: x  y\n'],
    ['a key with a space before its colon', 'a : 1\n'],
    ['a key past 1,000 characters', `${'k'.repeat(1001)}: 1\n`],
    ['a quoted key past 1,000 characters', `"${'k'.repeat(1001)}": 1\n`],
    ['an empty file', ''],
    ['a scalar document', 'text\n'],
    ['nesting the library gives up on', nested(900)],
    ['nesting past the reader\'s depth', nested(65)],
  ])('leaves %s to the other readers', (_name, text) => {
    expect(readLines(text, new LineCounter())).toBeUndefined();
  });

  it('agrees with composing on written configuration-like data, and declines what damage takes out of the subset', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_.\/-]{0,7}$/);
    const scalar = fc.oneof(
      word,
      fc.constantFrom('yes', '0o17', '1e3', '.inf', '-', 'a b', 'arn:aws:x', 'x # y', "it's", 'true', '~', '10.0.0.1', '-5', '+1', ''),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    // Shaped like configurations: mappings of scalars, lists of scalars and lists of mappings.
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, scalar, tie('list'), tie('map')),
      list: fc.array(fc.oneof(scalar, tie('map')), { minLength: 1, maxLength: 4 }),
      map: fc.dictionary(fc.oneof(word, word, fc.constantFrom('a b', '1', 'null')), tie('value'), { minKeys: 1, maxKeys: 4 }),
    })).map;
    const options = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      indent: fc.constantFrom(2, 4),
      indentSeq: fc.boolean(),
      flowCollectionPadding: fc.boolean(),
    }) satisfies fc.Arbitrary<ToStringOptions>;
    let accepted = 0;
    let damagedAccepted = 0;
    fc.assert(
      fc.property(data, options, damage, fc.boolean(), (value, opts, edits, comment) => {
        let text = stringify(value, opts);
        if (comment) text = text.replace(/\n/, ' # note\n');
        if (agrees(damaged(text, edits))) {
          accepted++;
          if (edits.length > 0) damagedAccepted++;
        }
      }),
      { numRuns: 3000 },
    );
    // The property says something only if the reader takes many of these texts, damaged ones too.
    expect(accepted).toBeGreaterThan(400);
    expect(damagedAccepted).toBeGreaterThan(150);
  });
});

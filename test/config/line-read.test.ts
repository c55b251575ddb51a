import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LineCounter, parseDocument, stringify } from 'yaml';
import type { ToStringOptions } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/config/diagnostic.js';
import { readLines } from '../../src/config/line-read.js';
import { readDocument } from '../../src/config/plain.js';

/**
 * Whether the line reader takes the text; when it does, it must give exactly what composing the
 * document gives (data, every offset, line starts), and the library must report no problem in it.
 */
function agrees(text: string): boolean {
  const lines = new LineCounter();
  const fast = readLines(text, lines);
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

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Up to three edits of a text: a character or two inserted or deleted, or a line repeated. */
const damage = fc.array(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('insert', 'delete', 'repeat-line'),
    char: fc.constantFrom(' ', '\n', ':', '-', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '?', '  ', '- ', ': '),
  }),
  { maxLength: 3 },
);

function damaged(text: string, edits: readonly { at: number; kind: string; char: string }[]): string {
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

/** `depth` + 1 mappings, each inside the one before. */
const nested = (depth: number): string => Array.from({ length: depth }, (_, k) => `${' '.repeat(k)}a:\n`).join('') + `${' '.repeat(depth)}b: 1\n`;
/** A mapping holding `depth` sequences of a mapping each, nested, and a last sequence (2 × `depth` + 2 collections). */
const compactNested = (depth: number): string =>
  `a:\n${Array.from({ length: depth }, (_, k) => `${' '.repeat(2 * k)}- a:\n`).join('')}${' '.repeat(2 * depth)}- b\n`;

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
    ['compact mappings in sequences up to the reader\'s depth', compactNested(30)],
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
    ['nesting past the reader\'s depth', nested(64)],
    ['compact mappings in sequences past the reader\'s depth', compactNested(40)],
  ])('leaves %s to the library', (_name, text) => {
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

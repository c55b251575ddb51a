import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { LineCounter, parseDocument, stringify } from 'yaml';
import type { ToStringOptions } from 'yaml';
import { describe, expect, it } from 'vitest';
import { coreValue, readTokens } from '../../src/config/cst-read.js';
import { agreesWithLibrary, damage, damaged, yamlFiles } from './reader-oracle.js';

const agrees = (text: string): boolean => agreesWithLibrary(readTokens, text);

describe('reading configuration files from the parser tokens', () => {
  it('reads every example and fixture configuration as composing does, without falling back', () => {
    const files = [...yamlFiles('examples'), ...yamlFiles('test/fixtures')];
    expect(files.length).toBeGreaterThan(6);
    for (const file of files) expect([file, agrees(readFileSync(file, 'utf8'))]).toEqual([file, true]);
  });

  it.each([
    ['comments everywhere', '# top\n---\n# after marker\na: 1 # one\nb:\n  # inside\n  - x # item\n  # between\n  - y\n# end\n'],
    ['quoted and block scalars', 'a: "q\\tu\\"o"\nb: \'it\'\'s\'\nc: |\n  two\n  lines\nd: >-\n  folded\n  text\ne: |+\n  kept\n\n'],
    ['a multi-line plain scalar', 'a: this is\n  continued\nb: x\n'],
    ['flow collections of scalars', 'a: [x, "y", 1, null]\nb: { retry: 10, interval: 120 }\nc: []\nd: {}\n'],
    ['keys every object has', '__proto__: { polluted: true }\ntoString: text\n'],
    ['a sequence at the key indentation', 'list:\n- a\n- b: 1\n  c: 2\n'],
    ['an absent value', 'a:\nb: ~\nc: null\n'],
    ['core schema scalars', 'a: [0o17, 0x1F, -12, +3, 1.50, .5, 1e3, -.inf, .NaN, True, FALSE, Null, 1_000, 0b1, yes]\n'],
    ['a top-level sequence', '- a\n- [b]\n'],
    ['a top-level scalar', 'text\n'],
  ])('reads %s as composing does', (_name, text) => {
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a tab', 'a:\t1\n'],
    ['a carriage return', 'a: 1\r\nb: 2\r\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['keys that collide as strings', '1: a\n"1": b\n'],
    ['a merge key', 'a: { x: 1 }\nb:\n  <<: { y: 2 }\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a mapping on the marker line', '--- a: 1\n'],
    ['a flow collection over two lines', 'a: [x,\n  y]\n'],
    ['a trailing comma', 'a: [x, y, ]\n'],
    ['a nested flow collection', 'a: [[x]]\n'],
    ['a flow pair in a sequence', 'a: [x: 1]\n'],
    ['a comment stuck to a value', 'a: "x"#c\n'],
    ['an empty sequence item', 'a:\n  - \n  - b\n'],
    ['a key without a value', 'a: 1\nb\n'],
    ['a mapping after a key on its line', 'a: b: 1\n'],
    ['a key past 1,000 characters', `${'k'.repeat(1001)}: 1\n`],
    ['an empty file', ''],
    ['a bad escape', 'a: "\\q"\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['an empty value in a flow mapping', 'a: { retry: , interval: 120 }\n'],
    ['an empty value before a comma', '{a:, b: 1}'],
  ])('leaves %s to the library', (_name, text) => {
    expect(readTokens(text, new LineCounter())).toBeUndefined();
  });

  it('resolves plain scalars as the library does', () => {
    const scalar = fc.oneof(
      fc.constantFrom('~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'yes', 'no', 'on', '.inf', '-.Inf', '+.INF', '.nan', '.NaN'),
      fc.stringMatching(/^[-+]?(0[ox])?[0-9a-fA-F._eE+-]{0,8}$/),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(scalar, (text) => {
        const doc = parseDocument(`v: ${text}\n`, { prettyErrors: false, logLevel: 'silent' });
        fc.pre(doc.errors.length === 0 && doc.warnings.length === 0);
        const node = doc.get('v', true) as { type?: string; tag?: string; source?: string; value: unknown } | undefined;
        fc.pre(node?.type === 'PLAIN' && node.tag === undefined);
        expect(coreValue(node.source!)).toStrictEqual(node.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with composing on written data, and declines what damage makes unusual', () => {
    const key = fc.oneof(fc.constantFrom('name', 'hapgs', 'retry', 'a b', 'x:y', '#k', 'true', '1', ''), fc.string({ maxLength: 5 }));
    const scalar = fc.oneof(
      fc.constantFrom('yes', '0o17', '1e3', '.inf', '-', 'a: b', '#x', "it's", '"q"', '', ' lead', 'null', '0x1F', '+1', '.5', 'a\nb', 'x # y'),
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    })).map;
    const options = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      indent: fc.constantFrom(2, 4),
      indentSeq: fc.boolean(),
    }) satisfies fc.Arbitrary<ToStringOptions>;
    let accepted = 0;
    let damagedAccepted = 0;
    fc.assert(
      fc.property(data, options, damage, (value, opts, edits) => {
        const text = damaged(stringify(value, opts), edits);
        if (agrees(text)) {
          accepted++;
          if (edits.length > 0) damagedAccepted++;
        }
      }),
      { numRuns: 3000 },
    );
    // The property says something only if the reader takes many of these texts, damaged ones too.
    expect(accepted).toBeGreaterThan(600);
    expect(damagedAccepted).toBeGreaterThan(100);
  });
});

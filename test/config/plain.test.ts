import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/config/diagnostic.js';
import { DocOffsets, TreeOffsets } from '../../src/config/offsets.js';
import { plainData, readDocument } from '../../src/config/plain.js';

const parse = (text: string) => parseDocument(text, { prettyErrors: false, logLevel: 'silent' });

describe('plainData', () => {
  it.each([
    ['an empty file', ''],
    ['a comment only', '# nothing\n'],
    ['a top-level scalar', 'just text\n'],
    ['nested mappings and lists', 'hsms:\n  - name: a\n    tags: [x, 1, true, null, ~, 1.5, 0x10]\n  - { name: b }\n'],
    ['keys that are not strings', '1: one\ntrue: yes\n~: nothing\n1.5: float\n'],
    ['keys every object has', '__proto__: { polluted: true }\ntoString: text\nconstructor: 1\nhasOwnProperty: 2\n'],
    ['block scalars and quoting', 'a: |\n  two\n  lines\nb: >-\n  folded\n  text\nc: "q\\tuoted"\nd: \'single\'\n'],
    ['a flow pair inside a list', 'list: [a: 1, b]\n'],
    ['aliases', 'base: &b { x: 1 }\ncopy: *b\nlist: [*b, *b]\n'],
    ['a merge key under YAML 1.1', '%YAML 1.1\n---\nbase: &b { x: 1 }\nmerged: { <<: *b, y: 2 }\n'],
    ['a set and an ordered map under YAML 1.1', '%YAML 1.1\n---\ns: !!set { a, b }\no: !!omap [ a: 1, b: 2 ]\n'],
    ['a timestamp under YAML 1.1', '%YAML 1.1\n---\nt: 2001-12-14t21:59:43.10-05:00\n'],
    ['a collection as a key', '? [a, b]\n: value\n'],
    ['a literal << key in YAML 1.2', '<<: not a merge\n'],
    ['an unknown tag', 'x: !custom value\ny: !!str 12\n'],
  ])('gives what the library gives for %s', (_name, text) => {
    const doc = parse(text);
    expect(plainData(doc, 100)).toStrictEqual(doc.toJS({ maxAliasCount: 100 }));
  });

  it('keeps a __proto__ key as data instead of changing the prototype', () => {
    const data = plainData(parse('__proto__: { polluted: true }\n'), 100) as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect((data as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('freezes the data all the way down', () => {
    const data = plainData(parse('hsms:\n  - name: a\n    members: [x]\n'), 100) as { hsms: { name: string; members: string[] }[] };
    expect(Object.isFrozen(data)).toBe(true);
    expect(Object.isFrozen(data.hsms)).toBe(true);
    expect(Object.isFrozen(data.hsms[0])).toBe(true);
    expect(Object.isFrozen(data.hsms[0]!.members)).toBe(true);
    expect(() => data.hsms[0]!.members.push('y')).toThrow(TypeError);
  });

  it('throws what the library throws for an alias explosion', () => {
    const bomb = 'a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: [*d, *d]\n';
    const doc = parse(bomb);
    expect(() => doc.toJS({ maxAliasCount: 5 })).toThrow();
    expect(() => plainData(doc, 5)).toThrow(/alias/i);
  });

  it('agrees with the library on any JSON-like data written as YAML', () => {
    const value = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(value, fc.boolean(), (data, flow) => {
        const doc = parse(stringify(data, flow ? { collectionStyle: 'flow' } : {}));
        expect(plainData(doc, 100)).toStrictEqual(doc.toJS({ maxAliasCount: 100 }));
      }),
      { numRuns: 300 },
    );
  });
});

/** Every path into `data` (and one step past each end), with the keys as written. */
function pathsOf(data: unknown, prefix: Segment[] = [], out: Segment[][] = []): Segment[][] {
  out.push(prefix, [...prefix, 'absent'], [...prefix, 99]);
  if (Array.isArray(data)) data.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) pathsOf(v, [...prefix, k], out);
  return out;
}

describe('offsets recorded while reading', () => {
  const written = [
    'hsms:\n  - name: a\n    members: [x, y]\n    empty:\n    flow: { env: X }\n  -\n  - 3\n',
    'a:\nb: ~\nc: ""\n"d": |\n  text\n1: one\nnull: n\n~: tilde\n',
    '# comment\n\n  - a\n  - - b\n    - c\n  - { x: [1, { y: 2 }] }\n',
    'x: 1\n"1": 2\n',
    '',
    'scalar\n',
  ];

  it.each(written)('agree with the document for every path: %j', (text) => {
    const doc = parse(text);
    const { data, offsets } = readDocument(doc, 100);
    expect(offsets).toBeInstanceOf(TreeOffsets);
    const walk = new DocOffsets(doc);
    for (const path of pathsOf(data)) {
      for (const key of [false, true]) expect([path, key, offsets.offsetOf(path, key)]).toEqual([path, key, walk.offsetOf(path, key)]);
    }
  });

  it('agree with the document on any JSON-like data written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, flow) => {
        const doc = parse(stringify(value, flow ? { collectionStyle: 'flow' } : {}));
        const { data, offsets } = readDocument(doc, 100);
        const walk = new DocOffsets(doc);
        for (const path of pathsOf(data)) {
          for (const key of [false, true]) expect(offsets.offsetOf(path, key)).toBe(walk.offsetOf(path, key));
        }
      }),
      { numRuns: 200 },
    );
  });
});

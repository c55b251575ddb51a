import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { coreValue } from '../../src/config/library-rules.js';

describe('the library rules the fast reader follows', () => {
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
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { BASE, BASE_ENV } from './fixture.js';

/** A variant of BASE that reads its secrets from files, to exercise that path too. */
const WITH_FILES = BASE.replaceAll('{ env: CLONING_DOMAIN }', '{ file: domain.txt }').replaceAll('{ env: SO_PASSWORD }', '{ file: so.txt }');

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'scalar'; at: number; value: string }
  | { kind: 'garbage'; at: number; text: string }
  | { kind: 'indent'; at: number; by: number; tab: boolean };

const scalars = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', '~', 'null', 'true', 'yes', '-1', '0', '501', '1e3', '0x10', '[]', '{}', '[a, b', '{ env: }', '{ file: nope.txt }', '{ env: UNSET_VAR }', '"', "'x", '&a', '*a', '!!binary x', '|', '>-', 'hsm-a', 'hsm-b', 'hapg1', 'us-east-1a', 'x'.repeat(80)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: -2000, max: 2000 }).map(String) },
);
const garbage = fc.oneof(
  fc.constantFrom('---', '...', '- ', ': :', '? x', '%YAML 1.2', '\t', '  - name:', 'hsms: [', '{', '}', ']', '# comment', 'key: &anchor', '<<: *anchor', '\u00a0', '\ufeff'),
  fc.string({ maxLength: 20 }),
);
// Weighted towards edits that keep the YAML readable, so that schema and rule checks see most runs.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('scalar' as const), at: fc.nat(), value: scalars }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), text: garbage }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }), tab: fc.boolean() }) },
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const m of mutations) {
    const i = m.at % Math.max(1, lines.length);
    const line = lines[i] ?? '';
    switch (m.kind) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, line);
        break;
      case 'scalar': {
        // The value of the first `key: value` line from here on (wrapping round).
        const j = [...lines.keys()].map((k) => (i + k) % lines.length).find((k) => (lines[k] ?? '').includes(': '));
        if (j === undefined) break;
        const target = lines[j]!;
        lines[j] = `${target.slice(0, target.indexOf(': ') + 2)}${m.value}`;
        break;
      }
      case 'garbage':
        lines.splice(i, 0, m.text);
        break;
      case 'indent': {
        const stripped = line.replace(/^ */, '');
        const width = Math.max(0, line.length - stripped.length + m.by);
        lines[i] = `${m.tab ? '\t' : ''}${' '.repeat(width)}${stripped}`;
        break;
      }
    }
  }
  return lines.join('\n');
}

describe('the loader on mutated configurations', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hsmctl-mutation-'));
    await writeFile(join(dir, 'domain.txt'), `${BASE_ENV.CLONING_DOMAIN}\n`);
    await writeFile(join(dir, 'so.txt'), `${BASE_ENV.SO_PASSWORD}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns a fleet or located errors, never an exception, and never prints a secret', async () => {
    const secrets = Object.values(BASE_ENV);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(BASE, WITH_FILES), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (base, mutations) => {
        await writeFile(join(dir, 'fleet.yaml'), mutate(base, mutations));
        const result = await loadConfig(join(dir, 'fleet.yaml'), { env: BASE_ENV, cwd: dir });
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        expect(result.fleet === undefined).toBe(errors.length > 0);
        for (const d of result.diagnostics) {
          expect(d.file).toBe('fleet.yaml');
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.col).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(0);
          for (const s of secrets) expect(JSON.stringify(d)).not.toContain(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});

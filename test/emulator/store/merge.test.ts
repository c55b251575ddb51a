import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyToFiles, mergeTransactions, type Touched, type Transaction } from '../../../src/emulator/store/transaction.js';
import { tempDir } from './helpers.js';

/** Every entry under `dir`: directories by name, files with their content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name).slice(dir.length + 1);
    out[path] = entry.isDirectory() ? '(dir)' : readFileSync(join(dir, path), 'utf8');
  }
  return out;
}

const COLLECTIONS = ['hsms', 'clients'];
const IDS = ['a', 'b', 'c'];

/** One step a store mutation could commit, against the world as the steps before left it. */
const step = fc.oneof(
  fc.record({ op: fc.constant('write' as const), collection: fc.constantFrom(...COLLECTIONS), id: fc.constantFrom(...IDS), value: fc.nat(9) }),
  fc.record({ op: fc.constant('delete' as const), collection: fc.constantFrom(...COLLECTIONS), id: fc.constantFrom(...IDS) }),
  fc.record({ op: fc.constant('create' as const), collection: fc.constantFrom(...COLLECTIONS) }),
  fc.record({ op: fc.constant('remove' as const), collection: fc.constantFrom(...COLLECTIONS) }),
  fc.record({ op: fc.constant('meta' as const), value: fc.nat(9) }),
);

/**
 * Transactions as the store makes them, from the difference between the world before and after
 * a few steps: a removed collection's documents are deleted with it, and a collection that exists
 * at the end of a transaction is not removed by it.
 */
function transactionsOf(steps: (typeof step extends fc.Arbitrary<infer T> ? T : never)[][]): Transaction[] {
  const exists = new Map<string, Set<string>>();
  return steps.map((group) => {
    const txn: Transaction = { formatVersion: 1, writes: {}, deletes: [], createCollections: [], removeCollections: [] };
    for (const s of group) {
      if (s.op === 'meta') txn.writes['meta.json'] = { formatVersion: 1, value: s.value };
      else if (s.op === 'write') {
        const path = `${s.collection}/${s.id}.json`;
        txn.writes[path] = { value: s.value };
        txn.deletes = txn.deletes.filter((p) => p !== path);
        txn.removeCollections = txn.removeCollections.filter((c) => c !== s.collection); // it exists after all
        const ids = exists.get(s.collection) ?? new Set();
        exists.set(s.collection, ids.add(s.id));
      } else if (s.op === 'delete') {
        const path = `${s.collection}/${s.id}.json`;
        if (!exists.get(s.collection)?.delete(s.id)) continue;
        delete txn.writes[path];
        txn.deletes.push(path);
      } else if (s.op === 'create' && !exists.has(s.collection)) {
        exists.set(s.collection, new Set());
        txn.createCollections.push(s.collection);
        txn.removeCollections = txn.removeCollections.filter((c) => c !== s.collection);
      } else if (s.op === 'remove' && exists.has(s.collection)) {
        for (const id of exists.get(s.collection)!) {
          delete txn.writes[`${s.collection}/${id}.json`];
          txn.deletes.push(`${s.collection}/${id}.json`);
        }
        exists.delete(s.collection);
        txn.createCollections = txn.createCollections.filter((c) => c !== s.collection);
        txn.removeCollections.push(s.collection);
      }
    }
    return txn;
  });
}

const touched = (): Touched => ({ files: new Set(), dirs: new Set() });

describe('mergeTransactions (a log replayed in one pass)', () => {
  it('leaves the same files as applying the transactions one by one, for any sequence of them', () => {
    fc.assert(
      fc.property(fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { maxLength: 8 }), (steps) => {
        const txns = transactionsOf(steps);
        const { base } = tempDir();
        const [oneByOne, merged] = [join(base, 'one-by-one'), join(base, 'merged')];
        for (const dir of [oneByOne, merged]) mkdirSync(dir);
        for (const txn of txns) applyToFiles(oneByOne, txn, touched());
        applyToFiles(merged, mergeTransactions(txns), touched());
        expect(tree(merged)).toEqual(tree(oneByOne));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a document changed many times once, with its last content', () => {
    const txns = [1, 2, 3].map((value): Transaction => ({ formatVersion: 1, writes: { 'hsms/a.json': { value } }, deletes: [], createCollections: [], removeCollections: [] }));
    expect(mergeTransactions(txns)).toEqual({ formatVersion: 1, writes: { 'hsms/a.json': { value: 3 } }, deletes: [], createCollections: ['hsms'], removeCollections: [] });
  });
});

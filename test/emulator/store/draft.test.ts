import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Documents } from '../../../src/emulator/store/documents.js';
import { changesOf, draftOf } from '../../../src/emulator/store/draft.js';
import { META_FILE, documentPath, serialize } from '../../../src/emulator/store/format.js';
import type { Json, Snapshot } from '../../../src/emulator/store/types.js';

/** One step a mutation may take on a snapshot. */
type Step =
  | { op: 'read'; collection: string; id: string }
  | { op: 'readAll'; collection: string }
  | { op: 'set'; collection: string; id: string; value: Json }
  | { op: 'field'; collection: string; id: string; key: string; value: Json }
  | { op: 'reorder'; collection: string; id: string }
  | { op: 'undefinedField'; collection: string; id: string }
  | { op: 'delete'; collection: string; id: string }
  | { op: 'dropCollection'; collection: string }
  | { op: 'emptyCollection'; collection: string }
  | { op: 'meta'; key: string; value: Json };

const collections = ['hsms', 'hapgs', 'clients'];
const ids = ['a', 'b', 'c', 'd'];
const value: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
const doc: fc.Arbitrary<Json> = fc.dictionary(fc.constantFrom('x', 'y', 'z'), value, { maxKeys: 3 }) as fc.Arbitrary<Json>;
const collection = fc.constantFrom(...collections);
const id = fc.constantFrom(...ids);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('read' as const), collection, id }),
  fc.record({ op: fc.constant('readAll' as const), collection }),
  fc.record({ op: fc.constant('set' as const), collection, id, value: doc }),
  fc.record({ op: fc.constant('field' as const), collection, id, key: fc.constantFrom('x', 'y', 'w'), value }),
  fc.record({ op: fc.constant('reorder' as const), collection, id }),
  fc.record({ op: fc.constant('undefinedField' as const), collection, id }),
  fc.record({ op: fc.constant('delete' as const), collection, id }),
  fc.record({ op: fc.constant('dropCollection' as const), collection }),
  fc.record({ op: fc.constant('emptyCollection' as const), collection: fc.constantFrom('keys', ...collections) }),
  fc.record({ op: fc.constant('meta' as const), key: fc.constantFrom('counter', 'seed'), value }),
);
const world = fc.dictionary(collection, fc.dictionary(id, doc, { maxKeys: 4 }), { maxKeys: 3 });

function run(snapshot: Snapshot, steps: readonly Step[]): void {
  for (const s of steps) {
    const docs = s.op === 'meta' ? undefined : snapshot.collections[s.collection];
    const target = docs?.[(s as { id?: string }).id ?? ''];
    const object = target !== null && typeof target === 'object' && !Array.isArray(target) ? target : undefined;
    switch (s.op) {
      case 'read':
        void docs?.[s.id];
        break;
      case 'readAll':
        if (docs !== undefined) void Object.values(docs);
        break;
      case 'set':
        if (docs !== undefined) docs[s.id] = structuredClone(s.value);
        break;
      case 'field':
        if (object !== undefined) object[s.key] = structuredClone(s.value);
        break;
      case 'reorder':
        if (object !== undefined && 'x' in object) {
          const x = object.x as Json;
          delete object.x;
          object.x = x;
        }
        break;
      case 'undefinedField':
        if (object !== undefined) (object as { [k: string]: unknown }).u = undefined;
        break;
      case 'delete':
        if (docs !== undefined) delete docs[s.id];
        break;
      case 'dropCollection':
        delete snapshot.collections[s.collection];
        break;
      case 'emptyCollection':
        snapshot.collections[s.collection] ??= {};
        break;
      case 'meta':
        snapshot.meta[s.key] = structuredClone(s.value);
        break;
    }
  }
}

/** The documents of a world as the store would hold them after writing it. */
function documentsOf(meta: { [key: string]: Json }, byCollection: { [c: string]: { [id: string]: Json } }): Documents {
  const texts = new Map<string, string>([[META_FILE, serialize(meta)]]);
  for (const [c, docs] of Object.entries(byCollection)) for (const [i, d] of Object.entries(docs)) texts.set(documentPath(c, i), serialize(d));
  return Documents.fromScan({ snapshot: { meta, collections: structuredClone(byCollection) }, texts });
}

/** The reference: every document of a plain copy serialized and compared with the stored text. */
function expectedChanges(docs: Documents, after: Snapshot) {
  const writes: { [path: string]: string } = {};
  const deletes: string[] = [];
  const meta: { [key: string]: Json } = { formatVersion: 1, ...after.meta };
  meta.formatVersion = 1;
  const metaText = serialize(meta);
  if (docs.meta?.text !== metaText) writes[META_FILE] = metaText;
  for (const [c, byId] of Object.entries(after.collections)) {
    for (const [i, d] of Object.entries(byId)) {
      if (d === undefined) continue;
      const text = serialize(d);
      if (docs.collections.get(c)?.get(i)?.text !== text) writes[documentPath(c, i)] = text;
    }
  }
  for (const [c, byId] of docs.collections) {
    for (const i of byId.keys()) if (after.collections[c]?.[i] === undefined) deletes.push(documentPath(c, i));
  }
  return { writes, deletes: deletes.sort() };
}

describe('draftOf / changesOf', () => {
  it('find exactly the documents whose text a plain copy would change, whatever the mutation touched', () => {
    fc.assert(
      fc.property(world, fc.array(step, { maxLength: 8 }), (byCollection, steps) => {
        const meta = { formatVersion: 1, counter: 1 };
        const docs = documentsOf(meta, byCollection);
        const plain: Snapshot = { meta: structuredClone(meta), collections: structuredClone(byCollection) };
        const draft = draftOf(docs);
        run(plain, steps);
        run(draft, steps);
        const { txn, texts } = changesOf(docs, draft);
        const expected = expectedChanges(docs, plain);
        expect(Object.fromEntries(texts)).toEqual(expected.writes);
        expect([...txn.deletes].sort()).toEqual(expected.deletes);
        const removed = [...docs.collections.keys()].filter((c) => plain.collections[c] === undefined);
        expect(txn.removeCollections.sort()).toEqual(removed.sort());
        // Applied to the documents, the changes give the plain copy's world.
        docs.apply(txn, texts);
        const now = docs.snapshot();
        expect(now.collections).toEqual(JSON.parse(JSON.stringify(plain.collections)));
      }),
      { numRuns: 500 },
    );
  });

  it('copies a document with a "__proto__" key as data, not as a prototype', () => {
    const text = '{"__proto__": {"polluted": true}, "a": 1}\n';
    const docs = Documents.fromScan({
      snapshot: { meta: {}, collections: { tags: { t: JSON.parse(text) as Json } } }, // as a scan parses it
      texts: new Map([['tags/t.json', text]]),
    });
    const copy = draftOf(docs).collections.tags!.t as { [key: string]: unknown };
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('copies only the documents a mutation touches', () => {
    const docs = documentsOf({ formatVersion: 1 }, { hsms: { a: { n: 1 }, b: { n: 2 } } });
    const draft = draftOf(docs);
    (draft.collections.hsms!.a as { n: number }).n = 5;
    const hsms = draft.collections.hsms!;
    expect(Object.getOwnPropertyDescriptor(hsms, 'b')?.get).toBeTypeOf('function'); // still lazy
    expect(Object.keys(hsms)).toEqual(['a', 'b']);
    expect([...changesOf(docs, draft).texts.keys()]).toEqual(['hsms/a.json']);
  });
});

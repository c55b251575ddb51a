import { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document } from 'yaml';
import { DocOffsets, MAP_BLOCK, SEQ_BLOCK, TreeOffsets, reserve, startOf, valueStart } from './offsets.js';
import type { NodeOffsets, OffsetTable } from './offsets.js';

/** Thrown inside the fast conversion when a node needs the library's own rules. */
const UNUSUAL = Symbol('unusual node');

/** A document's data, and where its nodes were written. */
export interface ReadDocument {
  /** Plain JSON-like values, deeply frozen. */
  data: unknown;
  /** Offsets of the nodes (the document is kept only when they could not be recorded while reading). */
  offsets: NodeOffsets;
}

/**
 * A parsed document's data as plain JSON-like values, deeply frozen: a file's data is cached
 * between loads and shared by every later stage, so nothing may change it.
 *
 * The common shapes — mappings with scalar keys, sequences, scalars of the core schema — are
 * converted directly, which is what `Document.toJS()` returns for them at a fraction of its cost,
 * and their offsets are recorded on the way, so that the document itself can be dropped. Anything
 * else (aliases, merge keys, collection keys, YAML 1.1 sets and maps, tagged objects) goes
 * through `toJS` itself and keeps the document for offsets. Throws what `toJS` throws (alias
 * explosions).
 */
export function readDocument(doc: Document.Parsed, maxAliasCount: number): ReadDocument {
  const reader = new Reader();
  try {
    const data = reader.convert(doc.contents);
    return { data, offsets: new TreeOffsets(startOf(doc.contents) ?? 0, reader.block, reader.table) };
  } catch (err) {
    if (err !== UNUSUAL) throw err;
    return { data: deepFreeze(doc.toJS({ maxAliasCount })), offsets: new DocOffsets(doc) };
  }
}

/** The data of a document (see `readDocument`), for callers that need no offsets. */
export function plainData(doc: Document.Parsed, maxAliasCount: number): unknown {
  return readDocument(doc, maxAliasCount).data;
}

/** Converts nodes to frozen plain values, recording their offsets in a table on the way. */
class Reader {
  readonly table: OffsetTable = { nums: [], names: [] };
  /** The block of the node converted last (-1 for a scalar). */
  block = -1;

  convert(node: unknown): unknown {
    this.block = -1;
    if (node === null || node === undefined) return null;
    const proto = Object.getPrototypeOf(node) as unknown;
    if (proto === Scalar.prototype) {
      const value = (node as Scalar).value;
      if (value !== null && (typeof value === 'object' || typeof value === 'symbol' || typeof value === 'function')) throw UNUSUAL;
      return value;
    }
    const nums = this.table.nums;
    if (proto === YAMLSeq.prototype) {
      const items = (node as YAMLSeq).items;
      const out: unknown[] = new Array(items.length);
      const block = reserve(nums, SEQ_BLOCK, items.length, 2);
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        out[i] = this.convert(item);
        nums[block + 2 + 2 * i] = startOf(item) ?? -1;
        nums[block + 3 + 2 * i] = this.block;
      }
      this.block = block;
      return Object.freeze(out);
    }
    if (proto === YAMLMap.prototype) {
      const items = (node as YAMLMap).items;
      const out: Record<string, unknown> = {};
      const block = reserve(nums, MAP_BLOCK, items.length, 4);
      for (let i = 0; i < items.length; i++) {
        const { key, value } = items[i] as (typeof items)[number];
        if (key === null || Object.getPrototypeOf(key) !== Scalar.prototype) throw UNUSUAL;
        const k = (key as Scalar).value;
        if (k === '<<' || (k !== null && (typeof k === 'object' || typeof k === 'symbol' || typeof k === 'function'))) throw UNUSUAL;
        const v = this.convert(value);
        const keyStart = startOf(key);
        const at = block + 2 + 4 * i;
        nums[at] = this.table.names.push(String(k)) - 1;
        nums[at + 1] = keyStart ?? -1;
        nums[at + 2] = valueStart(value, keyStart) ?? -1;
        nums[at + 3] = this.block;
        const name = k === null ? '' : String(k);
        setKey(out, name, v);
      }
      this.block = block;
      return Object.freeze(out);
    }
    throw UNUSUAL;
  }
}

/**
 * Sets a key as the library does: a key an object already has (`__proto__`, `toString`) is
 * defined, not assigned, so it becomes an own data property.
 */
export function setKey(out: Record<string, unknown>, name: string, value: unknown): void {
  if (name in out) Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
  else out[name] = value;
}

function deepFreeze(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import type { Segment } from './diagnostic.js';

/**
 * Where the nodes of one file were written. `offsetOf` follows a path of keys and list indexes
 * from the top and gives the offset (in the text) of the node it reaches, of the key of its last
 * segment when `key` is set, or of the nearest existing parent when the path leaves the data.
 * An absent value (`key:` and nothing) is placed at its key.
 */
export interface NodeOffsets {
  offsetOf(segs: readonly Segment[], key: boolean): number;
}

/** Marks a mapping's block in `OffsetTable.nums`. */
export const MAP_BLOCK = 1;
/** Marks a sequence's block in `OffsetTable.nums`. */
export const SEQ_BLOCK = 2;

/**
 * The shape of a document's collections with nothing but where their parts were written, in two
 * flat arrays (a handful of objects per file, however large it is). Each collection is a block
 * of `nums`: its kind and its item count, then for each pair of a mapping, in written order,
 * four slots — the index in `names` of its key as a path segment matches it (`String` of the
 * key's value), the key's offset, the value's offset and the value's block — or for each item of
 * a sequence two slots, its offset and its block. An unknown offset is -1, and so is the block of
 * a scalar.
 */
export interface OffsetTable {
  nums: number[];
  names: string[];
}

/** Appends a block header and room for `count` items of `slots` slots; returns where it starts. */
export function reserve(nums: number[], kind: number, count: number, slots: number): number {
  const block = nums.length;
  nums.push(kind, count);
  for (let i = 0; i < count * slots; i++) nums.push(-1);
  return block;
}

/** Offsets recorded while the data was read, so that the parsed document need not be kept. */
export class TreeOffsets implements NodeOffsets {
  readonly #start: number;
  readonly #root: number;
  readonly #nums: readonly number[];
  readonly #names: readonly string[];

  /** `start` is where the document's contents begin; `root` their block (-1 for a scalar). */
  constructor(start: number, root: number, table: OffsetTable) {
    this.#start = start;
    this.#root = root;
    this.#nums = table.nums;
    this.#names = table.names;
  }

  offsetOf(segs: readonly Segment[], key: boolean): number {
    const nums = this.#nums;
    let block = this.#root;
    let offset = this.#start;
    for (let i = 0; i < segs.length && block >= 0; i++) {
      const seg = segs[i] as Segment;
      const count = nums[block + 1] as number;
      if (nums[block] === MAP_BLOCK) {
        const name = String(seg);
        let at = -1;
        for (let j = block + 2; j < block + 2 + 4 * count; j += 4) {
          if (this.#names[nums[j] as number] === name) {
            at = j;
            break;
          }
        }
        if (at < 0) break;
        const keyStart = nums[at + 1] as number;
        if (key && i === segs.length - 1) return keyStart >= 0 ? keyStart : offset;
        const valueStart = nums[at + 2] as number;
        if (valueStart >= 0) offset = valueStart;
        block = nums[at + 3] as number;
      } else {
        if (typeof seg !== 'number' || !Number.isInteger(seg) || seg < 0 || seg >= count) break;
        const start = nums[block + 2 + 2 * seg] as number;
        if (start >= 0) offset = start;
        block = nums[block + 3 + 2 * seg] as number;
      }
    }
    return offset;
  }
}

/** Offsets found by walking the parsed document itself: for documents with aliases and other rare shapes. */
export class DocOffsets implements NodeOffsets {
  readonly #doc: Document.Parsed;

  constructor(doc: Document.Parsed) {
    this.#doc = doc;
  }

  offsetOf(segs: readonly Segment[], key: boolean): number {
    let node: unknown = this.#doc.contents;
    let offset = startOf(node) ?? 0;
    for (let i = 0; i < segs.length; i++) {
      if (isAlias(node)) node = node.resolve(this.#doc);
      const seg = segs[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) break;
        const keyStart = startOf(pair.key);
        if (key && i === segs.length - 1) {
          offset = keyStart ?? offset;
          break;
        }
        node = pair.value;
        offset = valueStart(node, keyStart) ?? offset;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        node = node.items[seg];
        offset = startOf(node) ?? offset;
      } else {
        break;
      }
    }
    return offset;
  }
}

/** Where a node starts, if it has a position. */
export function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

/** Where a pair's value is shown: an absent value (`key:` with nothing after it) at its key. */
export function valueStart(node: unknown, keyStart: number | undefined): number | undefined {
  const empty = isScalar(node) && node.value === null && node.range != null && node.range[0] === node.range[1];
  return (empty ? keyStart : startOf(node)) ?? keyStart;
}

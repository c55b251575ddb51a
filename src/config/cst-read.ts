import { CST, Parser } from 'yaml';
import type { LineCounter } from 'yaml';
import { MAP_BLOCK, SEQ_BLOCK, TreeOffsets, reserve } from './offsets.js';
import type { OffsetTable } from './offsets.js';
import { setKey } from './plain.js';
import type { ReadDocument } from './plain.js';

/**
 * Reading a configuration file straight from the YAML parser's tokens, without composing a
 * `Document`: for the shapes configuration files are written in, this gives the same data and
 * offsets as `parseDocument` followed by `readDocument`, in about two thirds of the time and
 * without the document's garbage (every command loads the configuration, and `watch` on every
 * save).
 *
 * Accepted: one document (a leading `---` allowed); block mappings with string keys on one
 * line; block sequences whose items all have a value; flow sequences and mappings of scalars
 * on one line; plain, quoted and block scalars of the core schema; comments. Everything else —
 * anchors, aliases, tags, directives, explicit keys, merge keys, repeated keys, tabs, carriage
 * returns, empty items, any token the composer would report — returns `undefined`, and the file
 * is read by the library's full path, which also reports its errors. Each check below stands for
 * a composer rule (`yaml/dist/compose/`) that the accepted shapes could otherwise break.
 */
export function readTokens(text: string, lines: LineCounter): ReadDocument | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  let document: CST.Document | undefined;
  for (const token of new Parser(lines.addNewLine).parse(text)) {
    if (token.type === 'document' && document === undefined) document = token;
    else if (token.type !== 'comment' && token.type !== 'newline' && token.type !== 'space') return undefined;
  }
  if (document?.value === undefined) return undefined;
  const reader = new TokenReader(text);
  try {
    if (!reader.documentStart(document.start, document.value)) return undefined;
    const data = reader.node(document.value);
    if (!reader.trailing(document.end)) return undefined;
    return { data, offsets: new TreeOffsets(document.value.offset, reader.block, reader.table) };
  } catch (err) {
    if (err === UNUSUAL) return undefined;
    throw err;
  }
}

/** Thrown when a token is outside the accepted shapes. */
const UNUSUAL = Symbol('unusual token');

function unusual(): never {
  throw UNUSUAL;
}

/** An implicit key may span at most this many characters up to its `:` (the composer's limit is 1024). */
const MAX_KEY_SPAN = 1000;

class TokenReader {
  readonly table: OffsetTable = { nums: [], names: [] };
  /** The block of the node read last (-1 for a scalar). */
  block = -1;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** Whether the tokens before the document's contents are spacing, comments and a `---` ending its line. */
  documentStart(start: readonly CST.SourceToken[], value: CST.Token): boolean {
    let marker = false;
    let newlineAfterMarker = false;
    for (const t of start) {
      if (t.type === 'doc-start') {
        if (marker) return false;
        marker = true;
      } else if (t.type === 'newline') newlineAfterMarker = marker;
      else if (t.type === 'comment') this.#comment(t);
      else if (t.type !== 'space') return false;
    }
    const block = value.type === 'block-map' || value.type === 'block-seq';
    return !marker || newlineAfterMarker || !block;
  }

  /** Whether tokens after a node (from `from` on) are only spacing and comments. */
  trailing(end: readonly CST.SourceToken[] | undefined, from = 0): boolean {
    if (end === undefined) return true;
    for (let i = from; i < end.length; i++) {
      const t = end[i]!;
      if (t.type === 'comment') this.#comment(t);
      else if (t.type !== 'space' && t.type !== 'newline') return false;
    }
    return true;
  }

  node(token: CST.Token): unknown {
    switch (token.type) {
      case 'block-map':
        return this.#blockMap(token);
      case 'block-seq':
        return this.#blockSeq(token);
      case 'flow-collection':
        return this.#flow(token);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        this.block = -1;
        return this.#scalar(token);
      default:
        return unusual();
    }
  }

  #blockMap(map: CST.BlockMap): Readonly<Record<string, unknown>> {
    const items = map.items;
    const nums = this.table.nums;
    // A last item of comments only (the map's trailing comments) has no pair.
    const last = items[items.length - 1];
    const count = last !== undefined && last.key === undefined && last.sep === undefined && last.value === undefined ? items.length - 1 : items.length;
    const block = reserve(nums, MAP_BLOCK, count, 4);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < items.length; i++) {
      const { start, key, sep, value } = items[i] as CST.BlockMap['items'][number];
      this.#spacing(start, false);
      if (i === count) break; // the trailing comments, checked above
      if (key === undefined || key === null || !isFlowScalar(key) || key.indent !== map.indent) unusual();
      if (key.source.includes('\n') || key.end?.some((t) => t.type === 'newline')) unusual();
      const indicator = this.#separator(sep);
      if (indicator.offset - key.offset > MAX_KEY_SPAN) unusual();
      if (value?.type === 'block-map' && !sep!.some((t) => t.type === 'newline')) unusual();
      const k = this.#scalar(key);
      if (k === '<<' || typeof k === 'number' || typeof k === 'boolean') unusual();
      const name = k === null ? '' : String(k);
      if (hasOwn(out, name)) unusual();
      const v = value === undefined ? null : this.node(value);
      const at = block + 2 + 4 * i;
      nums[at] = this.table.names.push(String(k)) - 1;
      nums[at + 1] = key.offset;
      nums[at + 2] = value === undefined ? key.offset : value.offset;
      nums[at + 3] = value === undefined ? -1 : this.block;
      setKey(out, name, v);
    }
    this.block = block;
    return Object.freeze(out);
  }

  #blockSeq(seq: CST.BlockSequence): readonly unknown[] {
    const items = seq.items;
    const nums = this.table.nums;
    const last = items[items.length - 1];
    const count = last !== undefined && last.value === undefined && !last.start.some((t) => t.type === 'seq-item-ind') ? items.length - 1 : items.length;
    const block = reserve(nums, SEQ_BLOCK, count, 2);
    const out: unknown[] = new Array(count);
    for (let i = 0; i < items.length; i++) {
      const { start, value } = items[i] as CST.BlockSequence['items'][number];
      const indicators = this.#spacing(start, true);
      if (i === count) break;
      if (indicators !== 1 || value === undefined) unusual();
      out[i] = this.node(value);
      nums[block + 2 + 2 * i] = value.offset;
      nums[block + 3 + 2 * i] = this.block;
    }
    this.block = block;
    return Object.freeze(out);
  }

  /** A flow sequence or mapping of scalars, on one line, without a trailing comma. */
  #flow(fc: CST.FlowCollection): unknown {
    const isMap = fc.start.type === 'flow-map-start';
    const close = fc.end[0];
    if (close === undefined || close.type !== (isMap ? 'flow-map-end' : 'flow-seq-end') || !this.trailing(fc.end, 1)) unusual();
    const newline = this.#text.indexOf('\n', fc.offset);
    if (newline >= 0 && newline < close.offset) unusual();
    const nums = this.table.nums;
    const count = fc.items.length;
    const block = reserve(nums, isMap ? MAP_BLOCK : SEQ_BLOCK, count, isMap ? 4 : 2);
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const { start, key, sep, value } = fc.items[i] as CST.CollectionItem;
      let commas = 0;
      for (const t of start) {
        if (t.type === 'comma') commas++;
        else if (t.type !== 'space') unusual();
      }
      if (commas !== (i === 0 ? 0 : 1) || value === undefined || !isFlowScalar(value)) unusual();
      if (!isMap) {
        if (key !== undefined || sep !== undefined) unusual();
        list.push(this.#scalar(value));
        nums[block + 2 + 2 * i] = value.offset;
        nums[block + 3 + 2 * i] = -1;
        continue;
      }
      if (key === undefined || key === null || !isFlowScalar(key) || key.source.includes('\n')) unusual();
      let indicators = 0;
      for (const t of sep ?? []) {
        if (t.type === 'map-value-ind') indicators++;
        else if (t.type !== 'space') unusual();
      }
      if (indicators !== 1) unusual();
      const k = this.#scalar(key);
      if (k === '<<' || typeof k === 'number' || typeof k === 'boolean') unusual();
      const name = k === null ? '' : String(k);
      if (hasOwn(map, name)) unusual();
      const at = block + 2 + 4 * i;
      nums[at] = this.table.names.push(String(k)) - 1;
      nums[at + 1] = key.offset;
      nums[at + 2] = value.offset;
      nums[at + 3] = -1;
      setKey(map, name, this.#scalar(value));
    }
    this.block = block;
    return Object.freeze(isMap ? map : list);
  }

  /**
   * Checks the tokens before an item (spacing, comments, and in a sequence its `-`); returns how
   * many `-` there were.
   */
  #spacing(tokens: readonly CST.SourceToken[], sequence: boolean): number {
    let indicators = 0;
    for (const t of tokens) {
      if (t.type === 'comment') this.#comment(t);
      else if (sequence && t.type === 'seq-item-ind') indicators++;
      else if (t.type !== 'space' && t.type !== 'newline') unusual();
    }
    return indicators;
  }

  /** The `:` of a block mapping's pair, checking the tokens around it. */
  #separator(sep: readonly CST.SourceToken[] | undefined): CST.SourceToken {
    let indicator: CST.SourceToken | undefined;
    for (const t of sep ?? []) {
      if (t.type === 'map-value-ind') {
        if (indicator !== undefined) unusual();
        indicator = t;
      } else if (t.type === 'comment') this.#comment(t);
      else if (t.type !== 'space' && t.type !== 'newline') unusual();
    }
    return indicator ?? unusual();
  }

  /** A comment must follow white space or start a line. */
  #comment(t: CST.SourceToken): void {
    const before = t.offset === 0 ? '\n' : this.#text[t.offset - 1];
    if (before !== ' ' && before !== '\n') unusual();
  }

  #scalar(token: CST.FlowScalar | CST.BlockScalar): string | number | boolean | null {
    // An empty plain token (`{ a: , b: 1 }`) is an absent value, which the composer places at its key.
    if (token.source === '' && token.type === 'scalar') unusual();
    if (token.type !== 'block-scalar' && !this.trailing(token.end)) unusual();
    let failed = false;
    const resolved = CST.resolveAsScalar(token, true, () => {
      failed = true;
    });
    if (failed || resolved === null) unusual();
    return token.type === 'scalar' ? coreValue(resolved.value) : resolved.value;
  }
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function isFlowScalar(token: CST.Token): token is CST.FlowScalar {
  return token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar';
}

/**
 * A plain scalar's value under YAML 1.2's core schema, as the library resolves it (its tags in
 * its order: null, bool, octal, decimal and hex integers, special, exponent and plain floats).
 */
export function coreValue(text: string): string | number | boolean | null {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === 't' || text[0] === 'T';
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) {
    return parseFloat(text);
  }
  return text;
}

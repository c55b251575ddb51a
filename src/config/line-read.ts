import type { LineCounter } from 'yaml';
import { MAX_DEPTH, coreValue } from './library-rules.js';
import { MAP_BLOCK, SEQ_BLOCK, TreeOffsets, reserve } from './offsets.js';
import type { OffsetTable } from './offsets.js';
import { setKey } from './plain.js';
import type { ReadDocument } from './plain.js';

/**
 * Reading the plainest configuration files line by line, without composing a YAML document: an
 * optional `---` line, then block mappings and sequences indented with spaces, keys of letters,
 * digits and `_.-/` (not starting with `-`), values that are plain words (core-schema scalars), simple quoted strings or
 * one-line flow collections of those, and comments. Such a file is most of what configurations
 * are, and this scanner reads it some 13 times faster than the library parses it (every command
 * loads the configuration, and `watch` on every save), with none of the document's garbage.
 * Anything else returns `undefined` — a character or construct outside the subset, a repeated
 * key, an odd indentation, an empty item, deep nesting — and the library reads the file and
 * reports its errors. The result is the same data, offsets and line starts as the library's
 * (`test/config/line-read.test.ts` holds the reader to that).
 */
export function readLines(text: string, lines: LineCounter): ReadDocument | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const scanner = new Scanner(text);
  try {
    const data = scanner.document();
    lines.addNewLine(0); // as the library's parser does: the first line starts at 0
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
    return { data, offsets: new TreeOffsets(scanner.rootOffset, scanner.block, scanner.table) };
  } catch (err) {
    if (err === OUTSIDE) return undefined;
    throw err;
  }
}

/** Thrown when the text leaves the subset. */
const OUTSIDE = Symbol('outside the subset');

function outside(): never {
  throw OUTSIDE;
}

/**
 * The composer rejects an implicit key whose `:` is more than 1024 characters after its start;
 * 1000 leaves room for the quotes and spaces. Quoted values are held to it too: a quoted string
 * is read the same way as a key or a value.
 */
const MAX_KEY_LENGTH = 1000;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** Characters of a plain key: letters, digits, `_`, `.`, `-`, `/`. */
function isKeyChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === DASH || c === 0x2f;
}

/** Characters of a plain value besides a key's: `+ = ~ @` (and `:` between two of them, in block context). */
function isValueChar(c: number): boolean {
  return isKeyChar(c) || c === 0x2b || c === 0x3d || c === 0x7e || c === 0x40;
}

/** The characters a quoted scalar may hold here: anything printable but its quote, `\` and the non-ASCII. */
function isQuotedChar(c: number, quote: number): boolean {
  return c >= SPACE && c < 0x7f && c !== quote && c !== 0x5c;
}

class Scanner {
  readonly table: OffsetTable = { nums: [], names: [] };
  /** The block of the node read last (-1 for a scalar). */
  block = -1;
  /** Where the document's contents start. */
  rootOffset = 0;
  readonly #text: string;
  /** The cursor. */
  #i = 0;
  /** How many block collections hold the cursor (`MAX_DEPTH` at most). */
  #depth = 0;

  constructor(text: string) {
    this.#text = text;
  }

  document(): unknown {
    let col = this.#nextLine(true);
    if (col === 0 && this.#text.startsWith('---', this.#i)) {
      // A document start marker on a line of its own.
      this.#i += 3;
      if (this.#text.charCodeAt(this.#i) !== SPACE && this.#text.charCodeAt(this.#i) !== NEWLINE && this.#i < this.#text.length) outside();
      this.#lineEnd();
      col = this.#nextLine();
    }
    if (col < 0) outside();
    this.rootOffset = this.#i;
    const data = this.#block(col);
    if (this.#nextLine() >= 0) outside();
    return data;
  }

  /**
   * Moves to the first character of the next line holding content (skipping blank and comment
   * lines; at such a character already, stays) and returns its column, or -1 at the end of the
   * text. A document marker at the start of a line (`---`, `...`) leaves the subset, but for a
   * first `---` when `first` is set (the caller reads it).
   */
  #nextLine(first = false): number {
    const text = this.#text;
    let i = this.#i;
    let lineStart = text.lastIndexOf('\n', i - 1) + 1;
    for (;;) {
      while (text.charCodeAt(i) === SPACE) i++;
      if (i >= text.length) {
        this.#i = i;
        return -1;
      }
      const c = text.charCodeAt(i);
      if (c === NEWLINE) {
        lineStart = ++i;
        continue;
      }
      if (c === HASH) {
        const end = text.indexOf('\n', i);
        if (end < 0) {
          this.#i = text.length;
          return -1;
        }
        lineStart = i = end + 1;
        continue;
      }
      if (i === lineStart && ((!first && text.startsWith('---', i)) || text.startsWith('...', i))) outside();
      this.#i = i;
      return i - lineStart;
    }
  }

  /** After a value: spaces, perhaps a comment, then the end of the line. */
  #lineEnd(): void {
    const text = this.#text;
    let i = this.#i;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) === HASH) {
      if (i === this.#i) outside(); // a comment needs a space before it
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    }
    if (i < text.length && text.charCodeAt(i) !== NEWLINE) outside();
    this.#i = i < text.length ? i + 1 : i;
  }

  /** A block collection whose first line starts at the cursor, at column `col`. */
  #block(col: number): unknown {
    const text = this.#text;
    return text.charCodeAt(this.#i) === DASH && this.#isIndicator(this.#i) ? this.#sequence(col) : this.#mapping(col);
  }

  /** Enters a block collection; the library gives up on very deep documents. */
  #enter(): void {
    if (++this.#depth > MAX_DEPTH) outside();
  }

  /** Whether the `-` at `i` is a sequence indicator (followed by a space or the end of the line). */
  #isIndicator(i: number): boolean {
    const next = this.#text.charCodeAt(i + 1);
    return next === SPACE || next === NEWLINE || i + 1 >= this.#text.length;
  }

  #mapping(col: number): Readonly<Record<string, unknown>> {
    this.#enter();
    const text = this.#text;
    const out: Record<string, unknown> = {};
    const pairs: number[] = []; // key name index, key offset, value offset, value block
    for (;;) {
      const keyOffset = this.#i;
      const name = this.#key();
      if (text.charCodeAt(this.#i) !== COLON) outside();
      this.#i++;
      if (hasOwn(out, name)) outside();
      const nameIndex = this.table.names.push(name) - 1;
      let value: unknown;
      let valueOffset = keyOffset;
      let valueBlock = -1;
      const after = text.charCodeAt(this.#i);
      if (after === SPACE && !this.#restIsComment()) {
        while (text.charCodeAt(this.#i) === SPACE) this.#i++;
        valueOffset = this.#i;
        value = this.#inline(false);
        valueBlock = this.block;
        this.#lineEnd();
      } else {
        if (after === SPACE || after === NEWLINE || this.#i >= text.length) this.#lineEnd();
        else outside();
        const next = this.#nextLine();
        const deeper = next > col;
        const indentless = next === col && text.charCodeAt(this.#i) === DASH && this.#isIndicator(this.#i);
        if (deeper || indentless) {
          valueOffset = this.#i;
          value = this.#block(next);
          valueBlock = this.block;
        } else value = null;
      }
      setKey(out, name, value);
      pairs.push(nameIndex, keyOffset, valueOffset, valueBlock);
      const next = this.#nextLine();
      if (next < col) break;
      if (next > col || (text.charCodeAt(this.#i) === DASH && this.#isIndicator(this.#i))) outside();
    }
    this.block = this.#record(MAP_BLOCK, pairs, 4);
    this.#depth--;
    return Object.freeze(out);
  }

  #sequence(col: number): readonly unknown[] {
    this.#enter();
    const text = this.#text;
    const out: unknown[] = [];
    const items: number[] = []; // value offset, value block
    for (;;) {
      this.#i++; // the `-`
      if (text.charCodeAt(this.#i) !== SPACE || this.#restIsComment()) outside(); // an empty item
      while (text.charCodeAt(this.#i) === SPACE) this.#i++;
      const start = this.#i;
      if (this.#startsPair()) {
        out.push(this.#mapping(start - this.#lineStartOf(start)));
        items.push(start, this.block);
      } else {
        if (text.charCodeAt(start) === DASH && this.#isIndicator(start)) outside(); // `- - x`
        out.push(this.#inline(false));
        items.push(start, this.block);
        this.#lineEnd();
      }
      const next = this.#nextLine();
      if (next < col || (next === col && !(text.charCodeAt(this.#i) === DASH && this.#isIndicator(this.#i)))) break;
      if (next > col) outside();
    }
    this.block = this.#record(SEQ_BLOCK, items, 2);
    this.#depth--;
    return Object.freeze(out);
  }

  /** Whether the text at the cursor is `key:` followed by a space or the end of the line. */
  #startsPair(): boolean {
    const text = this.#text;
    const saved = this.#i;
    try {
      this.#key();
      const c = text.charCodeAt(this.#i);
      const next = text.charCodeAt(this.#i + 1);
      return c === COLON && (next === SPACE || next === NEWLINE || this.#i + 1 >= text.length);
    } catch (err) {
      if (err !== OUTSIDE) throw err;
      return false;
    } finally {
      this.#i = saved;
    }
  }

  #lineStartOf(i: number): number {
    return this.#text.lastIndexOf('\n', i - 1) + 1;
  }

  /** Whether only spaces and a comment (or nothing) are left on the line. */
  #restIsComment(): boolean {
    const text = this.#text;
    let i = this.#i;
    while (text.charCodeAt(i) === SPACE) i++;
    return i >= text.length || text.charCodeAt(i) === NEWLINE || text.charCodeAt(i) === HASH;
  }

  /** A mapping key: plain or simply quoted, a string under the core schema. */
  #key(): string {
    const text = this.#text;
    const c = text.charCodeAt(this.#i);
    if (c === 0x22 || c === 0x27) return this.#quoted();
    const start = this.#i;
    if (c === DASH) outside();
    while (isKeyChar(text.charCodeAt(this.#i))) this.#i++;
    if (this.#i === start) outside();
    const name = text.slice(start, this.#i);
    if (coreValue(name) !== name) outside(); // a number, a boolean or null as a key
    if (name.length > MAX_KEY_LENGTH) outside();
    return name;
  }

  /** A value on the rest of the line: a flow collection, a quoted string or a plain scalar. */
  #inline(inFlow: boolean): unknown {
    const c = this.#text.charCodeAt(this.#i);
    this.block = -1;
    if (c === 0x22 || c === 0x27) return this.#quoted();
    if (!inFlow && (c === 0x5b || c === 0x7b)) return this.#flow(c === 0x7b);
    return this.#plain(inFlow);
  }

  /** A quoted string without escapes (`\` or `''`), on one line. */
  #quoted(): string {
    const text = this.#text;
    const quote = text.charCodeAt(this.#i);
    const start = ++this.#i;
    while (isQuotedChar(text.charCodeAt(this.#i), quote)) this.#i++;
    if (text.charCodeAt(this.#i) !== quote) outside();
    const value = text.slice(start, this.#i++);
    if (quote === 0x27 && text.charCodeAt(this.#i) === 0x27) outside(); // `''` inside
    if (value.length > MAX_KEY_LENGTH) outside(); // as a key it could pass the composer's limit
    return value;
  }

  /**
   * A plain scalar: it starts with a key character or `+` (a `-` only before a value character)
   * and runs over value characters and single inner spaces; in block context a `:` may sit
   * between two value characters. It ends before spaces followed by a comment or the end of the
   * line (or, in a flow collection, by `,`, `]` or `}`).
   */
  #plain(inFlow: boolean): string | number | boolean | null {
    const text = this.#text;
    const start = this.#i;
    const first = text.charCodeAt(start);
    if (!(isKeyChar(first) || first === 0x2b) || (first === DASH && !isValueChar(text.charCodeAt(start + 1)))) outside();
    let end = start;
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (isValueChar(c)) end = ++i;
      else if (c === COLON && !inFlow && isValueChar(text.charCodeAt(i + 1))) i++;
      else if (c === SPACE) {
        let j = i;
        while (text.charCodeAt(j) === SPACE) j++;
        const next = text.charCodeAt(j);
        if (j >= text.length || next === NEWLINE || next === HASH || (inFlow && (next === 0x2c || next === 0x5d || next === 0x7d))) break;
        if (j - i > 1 || !isValueChar(next)) outside();
        i = j;
      } else break;
    }
    this.#i = end;
    return coreValue(text.slice(start, end));
  }

  /** `[a, b]` or `{ k: v }` of scalars, on one line, without a trailing comma. */
  #flow(isMap: boolean): unknown {
    const text = this.#text;
    const close = isMap ? 0x7d : 0x5d;
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    const slots: number[] = [];
    this.#i++;
    this.#spaces();
    if (text.charCodeAt(this.#i) !== close) {
      for (;;) {
        if (isMap) {
          const keyOffset = this.#i;
          const name = this.#key();
          if (text.charCodeAt(this.#i) !== COLON || text.charCodeAt(this.#i + 1) !== SPACE) outside();
          this.#i++;
          this.#spaces();
          if (hasOwn(map, name)) outside();
          const valueOffset = this.#i;
          setKey(map, name, this.#inline(true));
          slots.push(this.table.names.push(name) - 1, keyOffset, valueOffset, -1);
        } else {
          slots.push(this.#i, -1);
          list.push(this.#inline(true));
        }
        this.#spaces();
        const c = text.charCodeAt(this.#i);
        if (c === close) break;
        if (c !== 0x2c) outside();
        this.#i++;
        this.#spaces();
        if (text.charCodeAt(this.#i) === close) outside(); // a trailing comma
      }
    }
    this.#i++;
    this.block = this.#record(isMap ? MAP_BLOCK : SEQ_BLOCK, slots, isMap ? 4 : 2);
    return Object.freeze(isMap ? map : list);
  }

  #spaces(): void {
    while (this.#text.charCodeAt(this.#i) === SPACE) this.#i++;
  }

  /** Writes a collection's block (its slots, `size` per item) to the offset table; returns where it starts. */
  #record(kind: number, slots: readonly number[], size: number): number {
    const nums = this.table.nums;
    const block = reserve(nums, kind, slots.length / size, size);
    for (let k = 0; k < slots.length; k++) nums[block + 2 + k] = slots[k]!;
    return block;
  }
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

import { dirname } from 'node:path';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { formatPath } from './diagnostic.js';
import { DocOffsets } from './offsets.js';
import type { NodeOffsets } from './offsets.js';
import { readDocument } from './plain.js';
import { readLines } from './line-read.js';
import type { Diagnostic, Segment } from './diagnostic.js';

/** A 1-based position in a file. */
export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

/** Options of a located diagnostic. */
export interface LocateOptions {
  /** Point at the key of the last segment instead of its value (unknown keys, duplicates). */
  key?: boolean;
  /** Something the user probably meant, for `Diagnostic.suggestion`. */
  suggestion?: string;
}

/**
 * One parsed YAML configuration file: its data and, for every node, where it was written. Parse
 * problems become located diagnostics; `data` is whatever could be read despite them.
 */
export class SourceFile {
  /** Absolute path. */
  readonly abs: string;
  /** The path shown in messages. */
  readonly display: string;
  /** Folder that `{ file }` secret references are relative to. */
  readonly dir: string;
  /**
   * The data, as plain JSON-like values (`null` for an empty file or one with syntax errors),
   * deeply frozen: it is shared by every load that finds the file unchanged.
   */
  readonly data: unknown;
  /** Whether the YAML had no syntax error (its data is then complete). */
  readonly ok: boolean;
  /** Syntax errors and YAML warnings. */
  readonly diagnostics: Diagnostic[] = [];
  readonly #lines: LineCounter;
  readonly #knownKeys: ReadonlySet<string>;
  readonly #offsets: NodeOffsets;

  /**
   * `knownKeys` are the keys a duplicate-key message may name; any other key is not repeated,
   * as it may be a secret pasted where a reference belongs.
   */
  constructor(abs: string, display: string, text: string, knownKeys: ReadonlySet<string> = new Set()) {
    this.#knownKeys = knownKeys;
    this.abs = abs;
    this.display = display;
    this.dir = dirname(abs);
    // Plain files are read line by line; anything else, and every error, by composing the document.
    // (The reader fills the line counter only when it reads the file.)
    this.#lines = new LineCounter();
    const read = readLines(text, this.#lines);
    if (read !== undefined) {
      this.data = read.data;
      this.#offsets = read.offsets;
      this.ok = true;
      return;
    }
    // Silent: the library would otherwise print its own warnings on the process's stderr.
    const doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, logLevel: 'error' });
    // After the first syntax error the parser's view of the rest is unreliable and later errors
    // are mostly echoes of it; duplicate keys are not parse errors and are all reported.
    let syntaxError = false;
    for (const e of doc.errors) {
      if (e.code !== 'DUPLICATE_KEY') {
        if (syntaxError) continue;
        syntaxError = true;
      }
      this.diagnostics.push(this.#yamlDiagnostic('error', e, text));
    }
    for (const w of doc.warnings) this.diagnostics.push(this.#yamlDiagnostic('warning', w, text));
    let data: unknown = null;
    let offsets: NodeOffsets | undefined;
    // An alias is written `*name`: a text without a star has none to check.
    if (doc.errors.length === 0 && text.includes('*')) this.#checkAliases(doc);
    if (this.diagnostics.every((d) => d.severity !== 'error')) {
      try {
        ({ data, offsets } = readDocument(doc, 1000));
      } catch (err) {
        // Only alias explosions and similar pathological documents get here.
        this.diagnostics.push({ ...this.#at(0), severity: 'error', path: '', message: `cannot read YAML: ${(err as Error).message}` });
      }
    }
    this.data = data;
    this.#offsets = offsets ?? new DocOffsets(doc);
    this.ok = !this.diagnostics.some((d) => d.severity === 'error');
  }

  /** A diagnostic pointing at the node reached by `segs` (or the nearest existing parent). */
  diagnostic(severity: Diagnostic['severity'], segs: readonly Segment[], message: string, options: LocateOptions = {}): Diagnostic {
    const d: Diagnostic = { severity, file: this.display, ...this.locate(segs, options.key), path: formatPath(segs), message };
    if (options.suggestion !== undefined) d.suggestion = options.suggestion;
    return d;
  }

  /** `file:line:col` of a node, for messages that cite another place. */
  where(segs: readonly Segment[], key = false): string {
    const { line, col } = this.locate(segs, key);
    return `${this.display}:${line}:${col}`;
  }

  /** Where the node reached by `segs` was written; the nearest existing parent when it is absent. */
  locate(segs: readonly Segment[], key = false): Position {
    return this.#lines.linePos(this.#offsets.offsetOf(segs, key));
  }

  /** An alias whose anchor is not set before it would make `toJS` throw without a position. */
  #checkAliases(doc: Document.Parsed): void {
    visit(doc, {
      Alias: (_key, node) => {
        if (node.resolve(doc) !== undefined) return;
        const message = `unknown alias *${node.source} (its anchor &${node.source} must come before it)`;
        this.diagnostics.push({ ...this.#at(node.range?.[0] ?? 0), severity: 'error', path: '', message });
      },
    });
  }

  #at(offset: number): Pick<Diagnostic, 'file' | 'line' | 'col'> {
    return { file: this.display, ...this.#lines.linePos(offset) };
  }

  #yamlDiagnostic(severity: Diagnostic['severity'], e: YAMLError, text: string): Diagnostic {
    return { ...this.#at(e.pos[0]), severity, path: '', message: yamlMessage(e, text, this.#knownKeys) };
  }
}

/** The YAML library's reasons, reworded where a person would not recognise them. */
function yamlMessage(e: YAMLError, text: string, knownKeys: ReadonlySet<string>): string {
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const written = /^("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(e.pos[0]))?.[1]?.trim() ?? '';
      const key = written.replace(/^(["'])(.*)\1$/, '$2');
      return knownKeys.has(key) ? `duplicate key "${key}" in the same mapping` : 'duplicate key in the same mapping';
    }
    case 'MULTIPLE_DOCS':
      return 'a configuration file holds one YAML document; split the others ("---") into their own files';
    case 'TAB_AS_INDENT':
      return 'YAML syntax: tabs are not allowed as indentation; use spaces';
    default:
      return `YAML syntax: ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`;
  }
}

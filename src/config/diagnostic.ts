/** One problem found in a configuration, located where a person can fix it. */
export interface Diagnostic {
  /** An error makes the configuration invalid; a warning does not. */
  severity: 'error' | 'warning';
  /** The YAML file (relative to the working directory when it lies below it), or the path given. */
  file: string;
  /** 1-based line of the offending value; 0 when the problem concerns the whole file or path. */
  line: number;
  /** 1-based column of the offending value; 0 when `line` is 0. */
  col: number;
  /** Where in the file's data, e.g. `hsms[0].members[2]`; empty for YAML syntax problems. */
  path: string;
  /** One-line reason. Never holds a secret value. */
  message: string;
  /** What the user probably meant (a name or key), when there is a close candidate. */
  suggestion?: string;
}

/** A path into a file's data, as keys and list indexes. */
export type Segment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders path segments the way people write them: `hsms[0].members[2]`. */
export function formatPath(segs: readonly Segment[]): string {
  let out = '';
  for (const seg of segs) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `file:line:col`, or just the file when the problem has no position. */
export function formatLocation(d: Pick<Diagnostic, 'file' | 'line' | 'col'>): string {
  return d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
}

/** One line per diagnostic: `fleet.yaml:12:7 error hapgs[0].members[2]: unknown HSM "hsm-z"`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path === '' ? '' : ` ${d.path}`;
  return `${formatLocation(d)} ${d.severity}${where}: ${d.message}`;
}

/** Orders diagnostics by file (in the order given), then line and column; stable otherwise. */
export function sortDiagnostics(list: Diagnostic[], fileOrder: readonly string[]): Diagnostic[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i] as const));
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) =>
      (rank.get(a.d.file) ?? -1) - (rank.get(b.d.file) ?? -1) ||
      a.d.line - b.d.line ||
      a.d.col - b.d.col ||
      a.i - b.i,
    )
    .map(({ d }) => d);
}

/** What every benchmark returns and how the table prints it. */

/** One measured figure. */
export interface Row {
  /** What was measured. */
  name: string;
  /** The figure, or a range of figures (`812–905`). */
  value: number | string;
  /** Its unit (`ms`, `×`, `MiB`, `files`…). */
  unit: string;
}

/** Rounds milliseconds to a tenth. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Median wall time (ms) of `runs` runs of `fn`. */
export async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Prints rows as an aligned table. */
export function formatRows(rows: readonly Row[]): string {
  const width = Math.max(...rows.map((r) => r.name.length));
  return rows.map((r) => `${r.name.padEnd(width)}  ${String(r.value).padStart(10)} ${r.unit}`).join('\n');
}

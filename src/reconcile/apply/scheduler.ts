/**
 * Runs a DAG of tasks with bounded parallelism: each task starts as soon as all of its
 * dependencies are done (not in waves). On the first failure nothing new starts; tasks already
 * running finish; the rest are reported as not started.
 */

/** A node of the DAG. */
export interface DagTask {
  id: string;
  dependsOn: readonly string[];
}

/** What became of each task. */
export interface DagOutcome<R> {
  done: Map<string, R>;
  failed: Map<string, unknown>;
  /** Tasks never started, in the order given. */
  notStarted: string[];
}

export async function runDag<T extends DagTask, R>(
  tasks: readonly T[],
  parallelism: number,
  run: (task: T) => Promise<R>,
): Promise<DagOutcome<R>> {
  const outcome: DagOutcome<R> = { done: new Map(), failed: new Map(), notStarted: [] };
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, T[]>();
  const ids = new Set(tasks.map((t) => t.id));
  for (const task of tasks) {
    const deps = task.dependsOn.filter((d) => ids.has(d));
    waitingOn.set(task.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), task]);
  }
  const ready: T[] = tasks.filter((t) => waitingOn.get(t.id) === 0);
  const started = new Set<string>();
  let running = 0;
  let stopping = false;

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (!stopping && running < Math.max(1, parallelism) && ready.length > 0) {
        const task = ready.shift()!;
        started.add(task.id);
        running++;
        run(task).then(
          (result) => {
            outcome.done.set(task.id, result);
            for (const next of dependents.get(task.id) ?? []) {
              const left = waitingOn.get(next.id)! - 1;
              waitingOn.set(next.id, left);
              if (left === 0) ready.push(next);
            }
            finish();
          },
          (error: unknown) => {
            outcome.failed.set(task.id, error);
            stopping = true;
            finish();
          },
        );
      }
      if (running === 0) resolve();
    };
    const finish = (): void => {
      running--;
      pump();
    };
    pump();
  });

  outcome.notStarted = tasks.filter((t) => !started.has(t.id)).map((t) => t.id);
  return outcome;
}

import { RankHeap } from '../heap.js';

/**
 * Runs a DAG of tasks with bounded parallelism: each task starts as soon as all of its
 * dependencies are done (not in waves). When more tasks are ready than may run, the one heading
 * the longest chain of tasks still to come starts first (ties in the order given): the chain that
 * bounds the run gets going early instead of waiting behind short independent work. One task at
 * a time takes as long in any order, so at parallelism 1 the tasks run in the order given (a
 * plan's order: the runbook's). On the first failure, or once `stop` is aborted, nothing new
 * starts; tasks already running finish; the rest are reported as not started.
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
  stop?: AbortSignal,
): Promise<DagOutcome<R>> {
  const outcome: DagOutcome<R> = { done: new Map(), failed: new Map(), notStarted: [] };
  const { waitingOn, dependents } = edgesOf(tasks);
  // Each task ranked once in the order of priority: the ready set is then a heap of ranks.
  const byRank = tasks.map((_, i) => i).sort(priorityOf(dependents, parallelism));
  const rankOf = new Int32Array(tasks.length);
  byRank.forEach((i, rank) => (rankOf[i] = rank));
  const ready = new RankHeap();
  tasks.forEach((_, i) => {
    if (waitingOn[i] === 0) ready.push(rankOf[i]!);
  });
  const started = new Uint8Array(tasks.length);
  let running = 0;
  let stopping = false;

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (!stopping && stop?.aborted !== true && running < Math.max(1, parallelism) && ready.size > 0) {
        const i = byRank[ready.pop()!]!;
        const task = tasks[i]!;
        started[i] = 1;
        running++;
        run(task).then(
          (result) => {
            outcome.done.set(task.id, result);
            for (const next of dependents[i]!) if (--waitingOn[next]! === 0) ready.push(rankOf[next]!);
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

  outcome.notStarted = tasks.filter((_, i) => started[i] === 0).map((t) => t.id);
  return outcome;
}

/** By position: how many of its dependencies are among the tasks, and which tasks depend on it. */
function edgesOf(tasks: readonly DagTask[]): { waitingOn: Int32Array; dependents: number[][] } {
  const index = new Map(tasks.map((t, i) => [t.id, i]));
  const waitingOn = new Int32Array(tasks.length);
  const dependents: number[][] = tasks.map(() => []);
  tasks.forEach((task, i) => {
    for (const d of task.dependsOn) {
      const j = index.get(d);
      if (j === undefined) continue;
      waitingOn[i]! += 1;
      dependents[j]!.push(i);
    }
  });
  return { waitingOn, dependents };
}

/**
 * The order in which `runDag` starts ready tasks when more are ready than may run: a comparison
 * of two positions in `tasks` (negative: the first starts first).
 */
export function startPriority(tasks: readonly DagTask[], parallelism: number): (a: number, b: number) => number {
  return priorityOf(edgesOf(tasks).dependents, parallelism);
}

function priorityOf(dependents: readonly number[][], parallelism: number): (a: number, b: number) => number {
  if (parallelism <= 1) return (a, b) => a - b;
  const height = chainLengths(dependents);
  return (a, b) => height[b]! - height[a]! || a - b;
}

/**
 * For each task, the number of tasks on the longest chain that starts with it and follows
 * `dependents` (1 for a task nothing depends on). Iterative, so a long chain cannot overflow the
 * stack; a cycle (never in a plan) counts each task once.
 */
function chainLengths(dependents: readonly number[][]): Int32Array {
  const length = new Int32Array(dependents.length);
  const state = new Uint8Array(dependents.length); // 0 new, 1 on the stack, 2 done
  for (let root = 0; root < dependents.length; root++) {
    if (state[root] !== 0) continue;
    const stack = [root];
    while (stack.length > 0) {
      const i = stack[stack.length - 1]!;
      if (state[i] === 0) {
        state[i] = 1;
        for (const j of dependents[i]!) if (state[j] === 0) stack.push(j);
        continue;
      }
      stack.pop();
      if (state[i] === 2) continue;
      let longest = 0;
      for (const j of dependents[i]!) if (state[j] === 2) longest = Math.max(longest, length[j]!);
      length[i] = longest + 1;
      state[i] = 2;
    }
  }
  return length;
}

import { haPending } from './ha/pending.js';
import type { Ctx } from './world/world.js';

/**
 * Read-only questions to the world (`describe`, `verifyCloningDomain`) asked together are
 * answered together: every question asked before the current synchronous code ends joins one
 * batch, answered from one read of the store. The reconciler's observe asks the describe, then one
 * cloning-domain check per declared HSM at once: 250 checks cost one read, not 250 store
 * transactions.
 *
 * Two scopes. A `world` question (describe) sees everything, including the HA state of clients;
 * reading runs the autoRecovery attempts that fell due, so when any did the batch is answered
 * inside one mutation (as every operation), else from the read alone, writing nothing. An
 * `appliances` question (a cloning-domain check) reads only the HSM documents, and only what
 * autoRecovery never changes; it leaves due attempts to the next operation or describe, which
 * decide them exactly as this read would have (reachability only changes through operations, and
 * every operation ticks first). A batch of appliance questions reads only the `hsms` collection.
 *
 * The batch is taken before its read begins, so every answer reflects the world at or after the
 * moment its question was asked. Each question succeeds or fails on its own (an unknown HSM fails
 * its check only).
 */

/** How much of the world a question needs. */
export type QueryScope = 'world' | 'appliances';

/** A question and its caller. */
interface Question {
  ask: (ctx: Ctx) => unknown;
  scope: QueryScope;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What a batch needs from the emulator: a fresh read of the world, and a mutation of it. */
export interface QueryAccess {
  /** The world as it is now, at virtual now, not to be changed; with `appliances`, only its HSMs (and meta). */
  read(scope: QueryScope): Promise<Ctx>;
  /** Runs `op` as one operation of the world (ticking HA before and after), as every change does. */
  change<T>(op: (ctx: Ctx) => T): Promise<T>;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function answer(ctx: Ctx, batch: readonly Question[]): Outcome[] {
  return batch.map((q) => {
    try {
      return { ok: true, value: q.ask(ctx) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}

/** Asks a read-only question of `scope`, batched with the others asked meanwhile. */
export type Ask = <T>(scope: QueryScope, ask: (ctx: Ctx) => T) => Promise<T>;

export function questioner(access: QueryAccess): Ask {
  let gathering: Question[] | undefined;

  async function run(batch: readonly Question[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      const scope: QueryScope = batch.some((q) => q.scope === 'world') ? 'world' : 'appliances';
      const ctx = await access.read(scope);
      outcomes = scope === 'world' && haPending(ctx) ? await access.change((c) => answer(c, batch)) : answer(ctx, batch);
    } catch (error) {
      for (const q of batch) q.reject(error);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)));
  }

  return <T>(scope: QueryScope, ask: (ctx: Ctx) => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (gathering === undefined) {
        const batch: Question[] = [];
        gathering = batch;
        // Taken once the current synchronous calls are in (a microtask later), before the read starts.
        void Promise.resolve().then(() => {
          if (gathering === batch) gathering = undefined;
          return run(batch);
        });
      }
      gathering.push({ ask, scope, resolve: resolve as (value: unknown) => void, reject });
    });
}

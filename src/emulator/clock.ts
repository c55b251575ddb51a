import { UserError } from '../errors.js';
import type { Ctx } from './world/world.js';

/**
 * The virtual clock: wall clock plus an offset kept in `meta`. `advance` grows the offset, so
 * minutes of recovery intervals pass in an instant while real time keeps flowing too (recovery
 * also happens during a live demo).
 */

/** Moves the virtual clock forward by `ms` (the operation's own `now` moves with it). */
export function advance(ctx: Ctx, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new UserError('emu.duration', `Cannot move the clock by ${ms} ms: only forward.`);
  ctx.world.meta.clockOffsetMs += ms;
  ctx.now += ms;
}

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

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `250ms`, `90s`, `5m`, `2h`, `1d` or a combination such as `1h30m` into milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || joined !== text.trim()) {
    throw new UserError('emu.duration', `Invalid duration "${text}": use e.g. 250ms, 90s, 5m, 2h or 1h30m.`);
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 'ms'] ?? 1), 0));
}

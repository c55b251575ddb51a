/**
 * Fewer SO login attempts left than this, and hsmctl does not log in as SO (SPEC §4: never spend
 * the last ones). A Luna SA zeroizes itself after three wrong SO passwords in a row: with one
 * attempt left, a wrong configured password would wipe the HSM. The executor's `SoGuard` enforces
 * it; the planner warns of it ahead.
 */
export const MIN_ATTEMPTS_LEFT = 2;

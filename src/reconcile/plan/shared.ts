/**
 * Keeping large plans small: a plan of a 1,000-HSM fleet from nothing holds some 75,000 actions,
 * each with an id, an address and a reason of its own. (Values many actions have alike are shared
 * as one frozen object where they are made: `resource` in `draft.ts`, `after` in `clients.ts`.)
 */

/**
 * `text` as one flat string. V8 keeps the result of a concatenation or template as a tree of its
 * pieces (a "cons string", some 32 bytes a piece) until something reads it whole; reading one
 * character flattens the tree in place. For a string the plan keeps, that takes about 40% less
 * memory, and comparing or hashing it later (sorting ids, map keys) reads it without flattening.
 */
export function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

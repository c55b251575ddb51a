/**
 * Rules of the YAML library that the line reader (`line-read.ts`) must follow to give what the
 * library gives.
 */

/**
 * How many block collections deep the line reader goes. Configurations nest a few levels; the
 * library reports running out of stack (RESOURCE_EXHAUSTION) somewhere past a thousand levels,
 * how far depending on the stack already in use, and the reader must not accept what it rejects.
 */
export const MAX_DEPTH = 64;

/**
 * A plain scalar's value under YAML 1.2's core schema, as the library resolves it (its tags in
 * its order: null, bool, octal, decimal and hex integers, special, exponent and plain floats).
 */
export function coreValue(text: string): string | number | boolean | null {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === 't' || text[0] === 'T';
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) {
    return parseFloat(text);
  }
  return text;
}

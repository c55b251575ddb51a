import { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document } from 'yaml';

/** Thrown inside the fast conversion when a node needs the library's own rules. */
const UNUSUAL = Symbol('unusual node');

/**
 * A parsed document's data as plain JSON-like values, deeply frozen: a file's data is cached
 * between loads and shared by every later stage, so nothing may change it.
 *
 * The common shapes — mappings with scalar keys, sequences, scalars of the core schema — are
 * converted directly, which is what `Document.toJS()` returns for them at a fraction of its cost.
 * Anything else (aliases, merge keys, collection keys, YAML 1.1 sets and maps, tagged objects)
 * goes through `toJS` itself. Throws what `toJS` throws (alias explosions).
 */
export function plainData(doc: Document.Parsed, maxAliasCount: number): unknown {
  let data: unknown;
  try {
    data = convert(doc.contents);
  } catch (err) {
    if (err !== UNUSUAL) throw err;
    data = doc.toJS({ maxAliasCount });
  }
  return deepFreeze(data);
}

function convert(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  const proto = Object.getPrototypeOf(node) as unknown;
  if (proto === Scalar.prototype) {
    const value = (node as Scalar).value;
    if (value !== null && (typeof value === 'object' || typeof value === 'symbol' || typeof value === 'function')) throw UNUSUAL;
    return value;
  }
  if (proto === YAMLSeq.prototype) {
    const items = (node as YAMLSeq).items;
    const out: unknown[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = convert(items[i]);
    return out;
  }
  if (proto === YAMLMap.prototype) {
    const out: Record<string, unknown> = {};
    for (const { key, value } of (node as YAMLMap).items) {
      if (key === null || Object.getPrototypeOf(key) !== Scalar.prototype) throw UNUSUAL;
      const k = (key as Scalar).value;
      if (k === '<<' || (k !== null && (typeof k === 'object' || typeof k === 'symbol' || typeof k === 'function'))) throw UNUSUAL;
      const name = k === null ? '' : String(k);
      const v = convert(value);
      // As the library does: a key an object already has (`__proto__`, `toString`) is defined,
      // not assigned, so it becomes an own data property.
      if (name in out) Object.defineProperty(out, name, { value: v, writable: true, enumerable: true, configurable: true });
      else out[name] = v;
    }
    return out;
  }
  throw UNUSUAL;
}

function deepFreeze(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/** The schema files of `schemas/`, dependencies first; `fleet` describes one configuration file. */
const SCHEMA_NAMES = ['secret-ref', 'auto-recovery', 'hsm', 'hapg', 'client', 'fleet'] as const;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

let compiled: ValidateFunction | undefined;
let keys: ReadonlySet<string> | undefined;

/** Reads a schema shipped with the package (src/ and dist/ both sit two levels below the root). */
export function readSchema(name: (typeof SCHEMA_NAMES)[number]): AnySchemaObject {
  const url = new URL(`../../schemas/${name}.schema.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as AnySchemaObject;
}

/** The validator of one configuration file, compiled once per process on first use. */
export function fleetValidator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    // Startup: checking our own schemas against the 2020-12 meta-schema costs ~60 ms per run and
    // code optimisation ~40 ms; a test does the former, and the schemas are small.
    validateSchema: false,
    code: { optimize: false },
  });
  // Annotation only: the human reason for a failed keyword (also understood by editors).
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: ['string', 'object'] });
  ajv.addFormat('ipv4', IPV4);
  for (const name of SCHEMA_NAMES) ajv.addSchema(readSchema(name), `${name}.schema.json`);
  const validate = ajv.getSchema('fleet.schema.json');
  if (validate === undefined) throw new Error('schemas/fleet.schema.json did not compile');
  compiled = validate;
  return validate;
}

/** The schema errors of one file's data (empty when it conforms). */
export function schemaErrors(data: unknown): ErrorObject[] {
  const validate = fleetValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

/** Every key the schemas define (the configuration's vocabulary), for messages that may name one. */
export function schemaKeys(): ReadonlySet<string> {
  if (keys !== undefined) return keys;
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const properties = (node as { properties?: unknown }).properties;
    if (properties !== null && typeof properties === 'object') for (const key of Object.keys(properties)) found.add(key);
    for (const value of Object.values(node)) walk(value);
  };
  for (const name of SCHEMA_NAMES) walk(readSchema(name));
  keys = found;
  return found;
}

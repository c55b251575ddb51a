import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../schemas/', import.meta.url);
const names = readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort();
const schemas = names.map((name) => ({ name, schema: JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, unknown> }));

/** Every subschema that describes a mapping. */
function objectSchemas(node: unknown, at: string, out: { at: string; schema: Record<string, unknown> }[] = []) {
  if (node === null || typeof node !== 'object') return out;
  const schema = node as Record<string, unknown>;
  const type = schema.type;
  if (type === 'object' || (Array.isArray(type) && type.includes('object'))) out.push({ at, schema });
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'errorMessage') continue;
    if (value !== null && typeof value === 'object') objectSchemas(value, `${at}/${key}`, out);
  }
  return out;
}

describe('schemas/', () => {
  it('holds one schema per kind and the file schema', () => {
    expect(names).toEqual(['auto-recovery.schema.json', 'client.schema.json', 'fleet.schema.json', 'hapg.schema.json', 'hsm.schema.json', 'secret-ref.schema.json']);
  });

  it('are valid JSON Schema 2020-12 under ajv strict mode', () => {
    // The loader skips this check at startup for speed; this test is what guards the schemas.
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, validateSchema: true });
    ajv.addKeyword({ keyword: 'errorMessage', schemaType: ['string', 'object'] });
    ajv.addFormat('ipv4', /./);
    for (const { name, schema } of schemas) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(ajv.validateSchema(schema), `${name}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
      ajv.addSchema(schema, name);
    }
    expect(ajv.getSchema('fleet.schema.json')).toBeTypeOf('function');
  });

  it.each(schemas)('$name forbids unknown keys in every mapping', ({ schema }) => {
    const objects = objectSchemas(schema, '#');
    expect(objects.length).toBeGreaterThan(0);
    for (const { at, schema: s } of objects) expect(s.additionalProperties, at).toBe(false);
  });

  it.each(schemas)('$name documents every property', ({ schema }) => {
    for (const { at, schema: s } of objectSchemas(schema, '#')) {
      for (const [key, prop] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        expect(typeof prop.description, `${at}/properties/${key}`).toBe('string');
      }
    }
  });
});

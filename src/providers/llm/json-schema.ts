import type { JsonSchema } from './llm.js';

/**
 * Vendors accept different subsets of JSON Schema for structured output and some reject
 * a request that uses a keyword outside theirs (OpenAI strict mode refuses `default` and
 * `minLength`). Each adapter prunes the schema to its subset; the engine still validates
 * the answer against the full zod schema, so nothing pruned here is lost.
 */
export interface SchemaDialect {
  /** Keywords kept; every other keyword is dropped. */
  keep: ReadonlySet<string>;
  /** Strict modes require every property in `required` and closed objects. */
  requireAll: boolean;
}

const SUBSCHEMA_MAPS = ['properties', '$defs'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMA_SINGLE = ['items', 'additionalProperties', 'not'];

/** OpenAI `json_schema` with `strict: true`. */
export const openAiStrictDialect: SchemaDialect = {
  keep: new Set([
    'type',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'enum',
    'const',
    'anyOf',
    '$defs',
    '$ref',
    'description',
    'title',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'multipleOf',
    'pattern',
    'format',
    'minItems',
    'maxItems',
  ]),
  requireAll: true,
};

/** Gemini `responseJsonSchema`: the subset its documentation lists. */
export const geminiDialect: SchemaDialect = {
  keep: new Set([
    '$id',
    '$defs',
    '$ref',
    '$anchor',
    'type',
    'format',
    'title',
    'description',
    'enum',
    'items',
    'prefixItems',
    'minItems',
    'maxItems',
    'minimum',
    'maximum',
    'anyOf',
    'oneOf',
    'properties',
    'additionalProperties',
    'required',
    'propertyOrdering',
  ]),
  requireAll: false,
};

/** Anthropic tool `input_schema` takes full JSON Schema; only the meta keyword goes. */
export function withoutMetaSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _drop, ...rest } = schema;
  return rest;
}

export function toDialect(schema: JsonSchema, dialect: SchemaDialect): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!dialect.keep.has(key)) continue;
    if (SUBSCHEMA_MAPS.includes(key) && isSchema(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, isSchema(v) ? toDialect(v, dialect) : v]),
      );
    } else if (SUBSCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v: unknown) => (isSchema(v) ? toDialect(v, dialect) : v));
    } else if (SUBSCHEMA_SINGLE.includes(key) && isSchema(value)) {
      out[key] = toDialect(value, dialect);
    } else {
      out[key] = value;
    }
  }
  if (dialect.requireAll && isSchema(out.properties)) {
    out.required = Object.keys(out.properties);
    out.additionalProperties = false;
  }
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

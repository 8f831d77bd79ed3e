import { describe, expect, it } from 'vitest';
import {
  geminiDialect,
  openAiStrictDialect,
  toDialect,
  withoutMetaSchema,
} from '../../../src/providers/llm/json-schema.js';

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    reasoning: { type: 'string', minLength: 1 },
    tags: { default: [], type: 'array', items: { type: 'string', minLength: 2 } },
    range: { anyOf: [{ type: 'object', properties: { min: { type: 'number' } } }, { type: 'null' }] },
  },
  required: ['reasoning'],
};

describe('toDialect', () => {
  it('makes every object strict for OpenAI: all properties required, none extra, no unsupported keywords', () => {
    expect(toDialect(withoutMetaSchema(schema), openAiStrictDialect)).toEqual({
      type: 'object',
      properties: {
        reasoning: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        range: {
          anyOf: [
            { type: 'object', properties: { min: { type: 'number' } }, required: ['min'], additionalProperties: false },
            { type: 'null' },
          ],
        },
      },
      required: ['reasoning', 'tags', 'range'],
      additionalProperties: false,
    });
  });

  it('keeps optional properties optional for Gemini and drops only what it does not read', () => {
    const out = toDialect(withoutMetaSchema(schema), geminiDialect);
    expect(out.required).toEqual(['reasoning']);
    expect(JSON.stringify(out)).not.toMatch(/"\$schema"|"default"|"minLength"/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { llmAnalysisSchema } from '../../../src/engine/analysis.schema.js';
import { completeStructured } from '../../../src/engine/chain.js';
import { LlmError } from '../../../src/providers/llm/llm.js';
import { OpenAiCompatibleProvider } from '../../../src/providers/llm/openai-compatible.js';
import type { OpenAiCompatibleOptions } from '../../../src/providers/llm/openai-compatible.js';
import { startOpenAiFake } from '../../fakes/openai.fake.js';
import type { OpenAiFake } from '../../fakes/openai.fake.js';
import { analysisRequest, validAnalysis } from './fixtures.js';
import { localFetch } from '../../helpers/http.js';

describe('OpenAiCompatibleProvider', () => {
  let fake: OpenAiFake;
  beforeEach(async () => {
    fake = await startOpenAiFake({ apiKey: 'sk-test' });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (opts: Partial<OpenAiCompatibleOptions> = {}): OpenAiCompatibleProvider =>
    new OpenAiCompatibleProvider({ apiKey: 'sk-test', baseUrl: fake.baseUrl, fetch: localFetch, ...opts });

  it('sends a strict json_schema request and returns the content with real token counts', async () => {
    fake.reply({
      kind: 'valid',
      output: validAnalysis,
      usage: { input: 321, output: 123 },
      model: 'gpt-4o-2024-08-06',
    });
    const res = await provider().complete(analysisRequest({ model: 'gpt-4o' }));

    expect(JSON.parse(res.text)).toEqual(validAnalysis);
    expect(res).toMatchObject({ inputTokens: 321, outputTokens: 123, model: 'gpt-4o-2024-08-06' });
    const [req] = fake.requests;
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(req?.body).toMatchObject({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You qualify inbound sales leads. Reply with JSON.' },
        { role: 'user', content: expect.stringContaining('Need a new roof') },
      ],
      max_tokens: 512,
      temperature: 0.1,
      response_format: { type: 'json_schema', json_schema: { name: 'lead_analysis', strict: true } },
    });
  });

  it('prunes the schema to what strict mode accepts: every property required, no defaults', async () => {
    fake.reply({ kind: 'valid', output: validAnalysis });
    await provider().complete(analysisRequest());

    const schema = (fake.requests[0]?.body as { response_format: { json_schema: { schema: Record<string, unknown> } } })
      .response_format.json_schema.schema;
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/"\$schema"|"default"|"minLength"/);
    const entities = (schema.properties as Record<string, { required: string[]; additionalProperties: boolean }>)
      .entities;
    expect(entities?.required).toEqual(expect.arrayContaining(['emails', 'budget_range', 'timeline', 'address']));
    expect(entities?.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['intent', 'scoring_breakdown', 'entities']));
  });

  it('asks only for a JSON object in json_object mode, for servers without schema support', async () => {
    fake.reply({ kind: 'valid', output: validAnalysis });
    await provider({ jsonMode: 'json_object' }).complete(analysisRequest());

    expect(fake.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('sends max_completion_tokens and no temperature when a reasoning model is configured so', async () => {
    fake.reply({ kind: 'valid', output: validAnalysis });
    await provider({ maxTokensField: 'max_completion_tokens' }).complete(
      analysisRequest({ model: 'o4-mini', temperature: undefined }),
    );

    const body = fake.requests[0]?.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(512);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('temperature');
  });

  it('reaches Azure OpenAI through the deployment path with the api-key header and api-version', async () => {
    fake.reply({ kind: 'valid', output: validAnalysis });
    const azure = provider({ baseUrl: `${fake.url}/openai`, azure: { apiVersion: '2024-10-21' } });
    const res = await azure.complete(analysisRequest({ model: 'frontdesk-gpt4o' }));

    expect(azure.name).toBe('azure');
    expect(JSON.parse(res.text)).toEqual(validAnalysis);
    const [req] = fake.requests;
    expect(req?.path).toBe('/openai/deployments/frontdesk-gpt4o/chat/completions');
    expect(req?.query).toEqual({ 'api-version': '2024-10-21' });
    expect(req?.headers['api-key']).toBe('sk-test');
    expect(req?.headers.authorization).toBeUndefined();
  });

  it('turns HTTP 429 into a rate_limited LlmError carrying the vendor message, without retrying', async () => {
    fake.reply({ kind: 'rate_limited' });
    const err = await provider()
      .complete(analysisRequest())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      provider: 'openai',
      vendorMessage: expect.stringContaining('Rate limit reached'),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns HTTP 500 into an http LlmError with the status', async () => {
    fake.reply({ kind: 'server_error' });
    await expect(provider().complete(analysisRequest())).rejects.toMatchObject({ kind: 'http', status: 500 });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns a rejected key into an http LlmError with status 401', async () => {
    await expect(provider({ apiKey: 'sk-wrong' }).complete(analysisRequest())).rejects.toMatchObject({
      kind: 'http',
      status: 401,
      vendorMessage: 'Incorrect API key provided.',
    });
  });

  it('gives up on a server that hangs after the request timeout', async () => {
    fake.reply({ kind: 'hang' });
    const started = Date.now();
    await expect(provider().complete(analysisRequest({ timeoutMs: 200 }))).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports output cut off at the token limit as invalid_output', async () => {
    fake.reply({ kind: 'truncated' });
    await expect(provider().complete(analysisRequest())).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: 'output truncated at 512 tokens',
    });
  });

  it('hands malformed and off-schema answers to the chain, which rejects them as invalid_output', async () => {
    fake.reply({ kind: 'malformed' }, { kind: 'schema_violation' });
    await expect(completeStructured(provider(), analysisRequest(), llmAnalysisSchema)).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: expect.stringContaining('not JSON'),
    });
    await expect(completeStructured(provider(), analysisRequest(), llmAnalysisSchema)).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: expect.stringContaining('does not match the schema'),
    });
  });

  it('refuses to start without an API key', () => {
    expect(() => new OpenAiCompatibleProvider({ apiKey: '', fetch: localFetch })).toThrow(LlmError);
  });
});

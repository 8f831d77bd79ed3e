import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { llmAnalysisSchema } from '../../../src/engine/analysis.schema.js';
import { completeStructured } from '../../../src/engine/chain.js';
import { AnthropicProvider } from '../../../src/providers/llm/anthropic.js';
import { LlmError } from '../../../src/providers/llm/llm.js';
import { startAnthropicFake } from '../../fakes/anthropic.fake.js';
import type { AnthropicFake } from '../../fakes/anthropic.fake.js';
import { analysisRequest, validAnalysis } from './fixtures.js';
import { localFetch } from '../../helpers/http.js';

describe('AnthropicProvider', () => {
  let fake: AnthropicFake;
  beforeEach(async () => {
    fake = await startAnthropicFake({ apiKey: 'sk-ant-test' });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (apiKey = 'sk-ant-test'): AnthropicProvider =>
    new AnthropicProvider({ apiKey, baseUrl: fake.url, fetch: localFetch });

  it('forces one tool whose input schema is the response schema and returns the tool input as JSON', async () => {
    fake.reply({
      kind: 'valid',
      output: validAnalysis,
      usage: { input: 410, output: 150 },
      model: 'claude-3-5-haiku-20241022',
    });
    const res = await provider().complete(analysisRequest({ model: 'claude-3-5-haiku-latest' }));

    expect(JSON.parse(res.text)).toEqual(validAnalysis);
    expect(res).toMatchObject({ inputTokens: 410, outputTokens: 150, model: 'claude-3-5-haiku-20241022' });
    const [req] = fake.requests;
    expect(req?.path).toBe('/v1/messages');
    // SDK 1.x speaks API version 2026-10-21, which takes the key as a bearer token instead of x-api-key.
    expect(req?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(req?.headers['x-api-key'] ?? req?.headers.authorization).toMatch(/^(Bearer )?sk-ant-test$/);
    expect(req?.body).toMatchObject({
      model: 'claude-3-5-haiku-latest',
      system: 'You qualify inbound sales leads. Reply with JSON.',
      messages: [{ role: 'user', content: expect.stringContaining('Need a new roof') }],
      tools: [
        {
          name: 'lead_analysis',
          input_schema: { type: 'object', required: expect.arrayContaining(['intent', 'scoring_breakdown']) },
        },
      ],
      tool_choice: { type: 'tool', name: 'lead_analysis' },
      max_tokens: 512,
      temperature: 0.1,
    });
    const tool = (req?.body as { tools: Array<{ input_schema: Record<string, unknown> }> }).tools[0];
    expect(tool?.input_schema).not.toHaveProperty('$schema');
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
      provider: 'anthropic',
      vendorMessage: expect.stringContaining('rate limit'),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns HTTP 500 into an http LlmError with the vendor message', async () => {
    fake.reply({ kind: 'server_error' });
    await expect(provider().complete(analysisRequest())).rejects.toMatchObject({
      kind: 'http',
      status: 500,
      vendorMessage: 'Internal server error',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns a rejected key into an http LlmError with status 401', async () => {
    await expect(provider('sk-ant-wrong').complete(analysisRequest())).rejects.toMatchObject({
      kind: 'http',
      status: 401,
    });
  });

  it('gives up on a server that hangs after the request timeout', async () => {
    fake.reply({ kind: 'hang' });
    const started = Date.now();
    await expect(provider().complete(analysisRequest({ timeoutMs: 200 }))).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a prose answer without the tool call as invalid_output', async () => {
    fake.reply({ kind: 'malformed' });
    await expect(provider().complete(analysisRequest())).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: 'the response has no lead_analysis tool call',
    });
  });

  it('reports output cut off at the token limit as invalid_output', async () => {
    fake.reply({ kind: 'truncated' });
    await expect(provider().complete(analysisRequest())).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: 'output truncated at 512 tokens',
    });
  });

  it('hands an off-schema tool input to the chain, which rejects it as invalid_output', async () => {
    fake.reply({ kind: 'schema_violation' });
    await expect(completeStructured(provider(), analysisRequest(), llmAnalysisSchema)).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: expect.stringContaining('does not match the schema'),
    });
  });

  it('refuses to start without an API key', () => {
    expect(() => new AnthropicProvider({ apiKey: '', fetch: localFetch })).toThrow(LlmError);
  });
});

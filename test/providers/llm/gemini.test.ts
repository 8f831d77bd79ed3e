import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { llmAnalysisSchema } from '../../../src/engine/analysis.schema.js';
import { completeStructured } from '../../../src/engine/chain.js';
import { GeminiProvider } from '../../../src/providers/llm/gemini.js';
import { LlmError } from '../../../src/providers/llm/llm.js';
import { startGeminiFake } from '../../fakes/gemini.fake.js';
import type { GeminiFake } from '../../fakes/gemini.fake.js';
import { analysisRequest, validAnalysis } from './fixtures.js';
import { localFetch } from '../../helpers/http.js';

describe('GeminiProvider', () => {
  let fake: GeminiFake;
  beforeEach(async () => {
    fake = await startGeminiFake({ apiKey: 'AIza-test' });
  });
  afterEach(async () => {
    await fake.close();
  });
  const provider = (apiKey = 'AIza-test'): GeminiProvider =>
    new GeminiProvider({ apiKey, baseUrl: fake.url, fetch: localFetch });

  it('asks generateContent for application/json against the response schema and returns the text', async () => {
    fake.reply({ kind: 'valid', output: validAnalysis, usage: { input: 280, output: 90, thoughts: 40 } });
    const res = await provider().complete(analysisRequest({ model: 'gemini-2.5-flash' }));

    expect(JSON.parse(res.text)).toEqual(validAnalysis);
    // Thinking tokens are billed as output, so they count as output.
    expect(res).toMatchObject({ inputTokens: 280, outputTokens: 130, model: 'gemini-2.5-flash' });
    const [req] = fake.requests;
    expect(req?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(req?.headers['x-goog-api-key']).toBe('AIza-test');
    expect(req?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: expect.stringContaining('Need a new roof') }] }],
      systemInstruction: { parts: [{ text: 'You qualify inbound sales leads. Reply with JSON.' }] },
      generationConfig: {
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object', required: expect.arrayContaining(['intent', 'scoring_breakdown']) },
        maxOutputTokens: 512,
        temperature: 0.1,
      },
    });
    const schema = JSON.stringify(
      (req?.body as { generationConfig: { responseJsonSchema: unknown } }).generationConfig.responseJsonSchema,
    );
    expect(schema).not.toMatch(/"\$schema"|"default"|"minLength"/);
  });

  it('turns HTTP 429 into a rate_limited LlmError carrying the vendor message', async () => {
    fake.reply({ kind: 'rate_limited' });
    const err = await provider()
      .complete(analysisRequest({ model: 'gemini-2.5-flash' }))
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      provider: 'gemini',
      vendorMessage: expect.stringContaining('exceeded your current quota'),
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns HTTP 500 into an http LlmError with the status', async () => {
    fake.reply({ kind: 'server_error' });
    await expect(provider().complete(analysisRequest({ model: 'gemini-2.5-flash' }))).rejects.toMatchObject({
      kind: 'http',
      status: 500,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('turns a rejected key into an http LlmError with the vendor message', async () => {
    await expect(provider('AIza-wrong').complete(analysisRequest({ model: 'gemini-2.5-flash' }))).rejects.toMatchObject(
      { kind: 'http', status: 400, vendorMessage: 'API key not valid. Please pass a valid API key.' },
    );
  });

  it('gives up on a server that hangs after the request timeout', async () => {
    fake.reply({ kind: 'hang' });
    const started = Date.now();
    await expect(
      provider().complete(analysisRequest({ model: 'gemini-2.5-flash', timeoutMs: 200 })),
    ).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports output cut off at the token limit as invalid_output', async () => {
    fake.reply({ kind: 'truncated' });
    await expect(provider().complete(analysisRequest({ model: 'gemini-2.5-flash' }))).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: 'output truncated at 512 tokens',
    });
  });

  it('hands malformed and off-schema answers to the chain, which rejects them as invalid_output', async () => {
    fake.reply({ kind: 'malformed' }, { kind: 'schema_violation' });
    const req = analysisRequest({ model: 'gemini-2.5-flash' });
    await expect(completeStructured(provider(), req, llmAnalysisSchema)).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: expect.stringContaining('not JSON'),
    });
    await expect(completeStructured(provider(), req, llmAnalysisSchema)).rejects.toMatchObject({
      kind: 'invalid_output',
      vendorMessage: expect.stringContaining('does not match the schema'),
    });
  });

  it('refuses to start without an API key', () => {
    expect(() => new GeminiProvider({ apiKey: '', fetch: localFetch })).toThrow(LlmError);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowedDestination, type AllowedDestination } from '../../../src/providers/http/allowlist.js';
import type { Fetch } from '../../../src/providers/http/guarded-fetch.js';
import { createSafeHttp, type HostLookup } from '../../../src/providers/http/safe-fetch.js';
import { HubSpotCrmProvider } from '../../../src/providers/crm/hubspot.js';
import { SalesforceCrmProvider } from '../../../src/providers/crm/salesforce.js';
import { createHttpEnrichment } from '../../../src/providers/enrichment/http.js';
import { AnthropicProvider } from '../../../src/providers/llm/anthropic.js';
import { GeminiProvider } from '../../../src/providers/llm/gemini.js';
import { OpenAiCompatibleProvider } from '../../../src/providers/llm/openai-compatible.js';
import { DeepgramProvider } from '../../../src/providers/stt/deepgram.js';
import { OpenAiTranscriptionProvider } from '../../../src/providers/stt/openai-transcription.js';
import { startAnthropicFake } from '../../fakes/anthropic.fake.js';
import { clearbitCompany, startClearbitFake } from '../../fakes/clearbit.fake.js';
import { startDeepgramFake } from '../../fakes/deepgram.fake.js';
import { startGeminiFake } from '../../fakes/gemini.fake.js';
import { startHubSpotFake } from '../../fakes/hubspot.fake.js';
import { startOpenAiAudioFake } from '../../fakes/openai-audio.fake.js';
import { startOpenAiFake } from '../../fakes/openai.fake.js';
import { startSalesforceFake } from '../../fakes/salesforce.fake.js';
import { makeToneWav } from '../../helpers/audio.js';
import { analysisRequest } from '../llm/fixtures.js';

/**
 * Every vendor a tenant can point at a base URL, called through the guard as the app wires it
 * (FRONTDESK_ALLOW_PRIVATE_URLS unset): a fake on 127.0.0.1 stands in for an internal service.
 */

interface Fake {
  /** The base URL a tenant would save (on 127.0.0.1). */
  base: string;
  requests: readonly unknown[];
  close(): Promise<void>;
}

interface Vendor {
  name: string;
  start(): Promise<Fake>;
  /** One call with `base` as the tenant's base URL; resolves with what the caller sees (an error is caught, not thrown). */
  call(base: string, fetch: Fetch): Promise<unknown>;
  /** What a refused call looks like to the caller. */
  refused: unknown;
}

const settle = (promise: Promise<unknown>): Promise<unknown> => promise.catch((e: unknown) => e);
const lead = { email: 'dana@northwind.io', lastName: 'Whitfield', externalId: 'lead_1' };
const audio = makeToneWav(1);

const vendors: Vendor[] = [
  {
    name: 'HubSpot',
    start: async () => {
      const fake = await startHubSpotFake({ accessToken: 'pat' });
      return { base: fake.url, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      settle(
        new HubSpotCrmProvider({ accessToken: 'pat', baseUrl: base, timeoutMs: 2_000, fetch }).upsertLead(lead, {}),
      ),
    refused: expect.objectContaining({
      name: 'CrmError',
      kind: 'refused',
      retryable: false,
      message: expect.stringContaining('HubSpot URL refused'),
    }),
  },
  {
    name: 'Salesforce',
    start: async () => {
      const fake = await startSalesforceFake({ accessToken: 'sf' });
      return { base: fake.instanceUrl, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      settle(
        new SalesforceCrmProvider({ accessToken: 'sf', instanceUrl: base, timeoutMs: 2_000, fetch }).upsertLead(
          lead,
          {},
        ),
      ),
    refused: expect.objectContaining({
      name: 'CrmError',
      kind: 'refused',
      retryable: false,
      message: expect.stringContaining('Salesforce URL refused'),
    }),
  },
  {
    name: 'OpenAI-compatible LLM',
    start: async () => {
      const fake = await startOpenAiFake({ apiKey: 'sk' });
      return { base: fake.baseUrl, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      settle(
        new OpenAiCompatibleProvider({ apiKey: 'sk', baseUrl: base, fetch }).complete(
          analysisRequest({ timeoutMs: 2_000 }),
        ),
      ),
    refused: expect.objectContaining({
      name: 'LlmError',
      kind: 'config',
      vendorMessage: expect.stringContaining('base URL refused'),
    }),
  },
  {
    name: 'Anthropic',
    start: async () => {
      const fake = await startAnthropicFake({ apiKey: 'sk-ant' });
      return { base: fake.url, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      settle(
        new AnthropicProvider({ apiKey: 'sk-ant', baseUrl: base, fetch }).complete(
          analysisRequest({ timeoutMs: 2_000 }),
        ),
      ),
    refused: expect.objectContaining({
      name: 'LlmError',
      kind: 'config',
      vendorMessage: expect.stringContaining('base URL refused'),
    }),
  },
  {
    name: 'Gemini',
    start: async () => {
      const fake = await startGeminiFake({ apiKey: 'AIza' });
      return { base: fake.url, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      settle(
        new GeminiProvider({ apiKey: 'AIza', baseUrl: base, fetch }).complete(analysisRequest({ timeoutMs: 2_000 })),
      ),
    refused: expect.objectContaining({
      name: 'LlmError',
      kind: 'config',
      vendorMessage: expect.stringContaining('base URL refused'),
    }),
  },
  {
    name: 'Deepgram',
    start: async () => {
      const fake = await startDeepgramFake({ apiKey: 'dg' });
      return { base: fake.url, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      settle(
        new DeepgramProvider({ apiKey: 'dg', baseUrl: base, fetch, timeoutMs: 2_000 }).transcribe({
          audio,
          mimeType: 'audio/wav',
        }),
      ),
    refused: expect.objectContaining({
      name: 'SttError',
      retryable: false,
      message: expect.stringContaining('base URL refused'),
    }),
  },
  {
    name: 'OpenAI transcription',
    start: async () => {
      const fake = await startOpenAiAudioFake({ apiKey: 'sk' });
      return { base: fake.baseUrl, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      settle(
        new OpenAiTranscriptionProvider({ apiKey: 'sk', baseUrl: base, fetch, timeoutMs: 2_000 }).transcribe({
          audio,
          mimeType: 'audio/wav',
        }),
      ),
    refused: expect.objectContaining({
      name: 'SttError',
      retryable: false,
      message: expect.stringContaining('base URL refused'),
    }),
  },
  {
    name: 'HTTP enrichment',
    start: async () => {
      const fake = await startClearbitFake({ apiKey: 'cb', companies: { 'acme.com': clearbitCompany() } });
      return { base: fake.url, requests: fake.requests, close: () => fake.close() };
    },
    call: (base, fetch) =>
      createHttpEnrichment({ baseUrl: base, apiKey: 'cb', fetch }).enrich({ email: 'john@acme.com' }),
    // Enrichment never blocks scoring: a refused vendor leaves the local answer.
    refused: expect.objectContaining({ domain: 'acme.com', source: 'local' }),
  },
];

/** The fake's base URL with its host replaced by a name the injected lookup resolves. */
const byName = (base: string, name: string): string => base.replace('127.0.0.1', name);
const portOf = (base: string): number => Number(new URL(base).port);
const allow = (...entries: string[]): AllowedDestination[] => entries.map((e) => parseAllowedDestination(e)!);

describe.each(vendors)('$name with a tenant-set base URL', (vendor) => {
  let fake: Fake;
  beforeAll(async () => {
    fake = await vendor.start();
  });
  afterAll(async () => fake.close());

  it('sends nothing to a loopback address that is not allow-listed, and fails the call cleanly', async () => {
    const guarded = createSafeHttp({ allowPrivate: false });
    expect(await vendor.call(fake.base, guarded.fetch)).toEqual(vendor.refused);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends nothing to a name that resolves to a private address', async () => {
    const lookup: HostLookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    // The port is allow-listed for another host: only an entry for this destination lets it through.
    const guarded = createSafeHttp({ allowPrivate: false, allowlist: allow(`10.0.0.5:${portOf(fake.base)}`), lookup });
    expect(await vendor.call(byName(fake.base, 'vendor.example.com'), guarded.fetch)).toEqual(vendor.refused);
    expect(fake.requests).toHaveLength(0);
  });

  it('reaches the address when the operator allow-lists its host and port', async () => {
    const guarded = createSafeHttp({ allowPrivate: false, allowlist: allow(`127.0.0.1:${portOf(fake.base)}`) });
    await vendor.call(fake.base, guarded.fetch);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it('connects to the address it checked, resolving once per request', async () => {
    const before = fake.requests.length;
    let asked = 0;
    const lookup: HostLookup = () => {
      asked += 1;
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    // `models.invalid` has no DNS entry anywhere: reaching the fake proves the checked answer was used.
    const guarded = createSafeHttp({
      allowPrivate: false,
      allowlist: allow(`models.invalid:${portOf(fake.base)}`),
      lookup,
    });
    await vendor.call(byName(fake.base, 'models.invalid'), guarded.fetch);
    expect(fake.requests.length).toBeGreaterThan(before);
    expect(asked).toBe(fake.requests.length - before);
  });
});

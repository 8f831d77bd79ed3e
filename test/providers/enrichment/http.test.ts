import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpEnrichment } from '../../../src/providers/enrichment/http.js';
import { clearbitCompany, startClearbitFake, type ClearbitFake } from '../../fakes/clearbit.fake.js';
import { localFetch } from '../../helpers/http.js';

const API_KEY = 'sk_test_clearbit';

describe('HTTP (Clearbit-style) enrichment', () => {
  let fake: ClearbitFake;

  beforeEach(async () => {
    fake = await startClearbitFake({
      apiKey: API_KEY,
      companies: {
        'acme.com': clearbitCompany(),
        'sparse.io': { name: 'Sparse', domain: 'sparse.io', metrics: null, geo: null },
      },
      statuses: { 'broken.com': 500, 'queued.com': 202, 'limited.com': 429 },
      retryAfter: '30',
      delaysMs: { 'slow.com': 1_000 },
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('maps a found company onto the enrichment fields', async () => {
    const provider = createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY });
    const result = await provider.enrich({ email: 'john@acme.com' });
    expect(result).toEqual({
      domain: 'acme.com',
      free_mail: false,
      company_name: 'Acme Corp',
      company_size: '51-250',
      industry: 'Technology',
      estimated_revenue: '$10M-$50M',
      linkedin_url: 'https://www.linkedin.com/company/acme-corp',
      location: 'San Francisco, CA',
      country: 'US',
      source: 'clearbit',
    });
  });

  it('calls the find endpoint with the domain and a bearer key', async () => {
    await createHttpEnrichment({ fetch: localFetch, baseUrl: `${fake.url}/`, apiKey: API_KEY }).enrich({
      email: 'john@acme.com',
    });
    expect(fake.requests).toEqual([
      { path: '/v2/companies/find', domain: 'acme.com', authorization: `Bearer ${API_KEY}` },
    ]);
  });

  it('keeps local values where the vendor has none', async () => {
    const result = await createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY }).enrich({
      email: 'ops@sparse.io',
      phone: '+442079460958',
      text: 'we have 200 employees',
    });
    expect(result).toMatchObject({
      company_name: 'Sparse',
      company_size: '51-200',
      country: 'GB',
      location: null,
      source: 'clearbit',
    });
  });

  it('falls back to local enrichment when the vendor does not know the domain (404)', async () => {
    const result = await createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY }).enrich({
      email: 'jane@unknown-co.com',
    });
    expect(result).toMatchObject({
      domain: 'unknown-co.com',
      company_name: 'Unknown Co',
      industry: null,
      source: 'local',
    });
  });

  it('falls back to local enrichment when the vendor fails (500)', async () => {
    const result = await createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY }).enrich({
      email: 'ops@broken.com',
    });
    expect(result).toMatchObject({ domain: 'broken.com', company_name: 'Broken', source: 'local' });
  });

  it('falls back to local enrichment when the vendor only queues the lookup (202)', async () => {
    const result = await createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY }).enrich({
      email: 'ops@queued.com',
    });
    expect(result.source).toBe('local');
  });

  it('falls back to local enrichment when the vendor is rate limited (429)', async () => {
    const result = await createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY }).enrich({
      email: 'ops@limited.com',
    });
    expect(result).toMatchObject({ domain: 'limited.com', company_name: 'Limited', source: 'local' });
  });

  it('leaves a rate-limited vendor alone until its Retry-After passes', async () => {
    let clock = 1_000_000;
    const provider = createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY, now: () => clock });
    await provider.enrich({ email: 'ops@limited.com' });
    expect((await provider.enrich({ email: 'john@acme.com' })).source).toBe('local');
    expect(fake.requests.map((r) => r.domain)).toEqual(['limited.com']);
    clock += 30_000;
    expect((await provider.enrich({ email: 'john@acme.com' })).source).toBe('clearbit');
    expect(fake.requests.map((r) => r.domain)).toEqual(['limited.com', 'acme.com']);
  });

  it('falls back to local enrichment when the key is rejected (401)', async () => {
    const result = await createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: 'wrong' }).enrich({
      email: 'john@acme.com',
    });
    expect(result).toMatchObject({ company_name: 'Acme', source: 'local' });
  });

  it('falls back to local enrichment when the vendor is too slow', async () => {
    const result = await createHttpEnrichment({
      fetch: localFetch,
      baseUrl: fake.url,
      apiKey: API_KEY,
      timeoutMs: 50,
    }).enrich({ email: 'x@slow.com' });
    expect(result.source).toBe('local');
  });

  it('falls back to local enrichment when nothing listens at the base URL', async () => {
    const closed = await startClearbitFake({ apiKey: API_KEY });
    await closed.close();
    const result = await createHttpEnrichment({ fetch: localFetch, baseUrl: closed.url, apiKey: API_KEY }).enrich({
      email: 'john@acme.com',
    });
    expect(result.source).toBe('local');
  });

  it('does not call the vendor for free-mail or domain-less leads', async () => {
    const provider = createHttpEnrichment({ fetch: localFetch, baseUrl: fake.url, apiKey: API_KEY });
    expect((await provider.enrich({ email: 'someone@gmail.com' })).free_mail).toBe(true);
    expect((await provider.enrich({ phone: '+15125550101' })).domain).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });
});

import { startFakeServer, type Answer, type FakeRequest } from './fake-server.js';

/**
 * A Clearbit Company API on 127.0.0.1: `GET /v2/companies/find?domain=…` with a bearer key.
 * Clearbit publishes no OpenAPI document, so nothing is checked against one.
 */
export interface ClearbitFake {
  url: string;
  /** Every request received, in order. */
  requests: { path: string; domain: string | null; authorization: string | undefined }[];
  close(): Promise<void>;
}

export interface ClearbitFakeOptions {
  apiKey: string;
  /** Company bodies by domain, answered with 200. */
  companies?: Record<string, unknown>;
  /** Status codes to answer for a domain instead (500, 202, 429…). */
  statuses?: Record<string, number>;
  /** Retry-After header value sent with a 429, as Clearbit does when over the rate limit. */
  retryAfter?: string;
  /** Domains to answer only after this many ms (for timeouts). */
  delaysMs?: Record<string, number>;
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limit';
  return status >= 500 ? 'server_error' : 'queued';
}

export async function startClearbitFake(options: ClearbitFakeOptions): Promise<ClearbitFake> {
  function find(req: FakeRequest): Answer {
    const domain = req.query.domain;
    if (!domain) return { status: 422, body: { error: { type: 'invalid_request', message: 'domain is required' } } };
    const delayMs = options.delaysMs?.[domain];
    const status = options.statuses?.[domain];
    if (status) {
      const headers: Record<string, string> =
        status === 429 && options.retryAfter ? { 'retry-after': options.retryAfter } : {};
      return { status, body: { error: { type: errorType(status) } }, headers, delayMs };
    }
    const company = options.companies?.[domain];
    if (!company)
      return { status: 404, body: { error: { type: 'unknown_record', message: `Unknown domain ${domain}` } }, delayMs };
    return { status: 200, body: company, delayMs };
  }

  const server = await startFakeServer<ClearbitFake['requests'][number]>({
    routes: [{ method: 'GET', path: '/v2/companies/find', handle: find }],
    error: (status, message) => ({
      status,
      body: { error: { type: status === 404 ? 'not_found' : 'invalid_request', message } },
    }),
    headers: () => ({ 'content-type': 'application/json' }),
    guard: (req) =>
      req.headers.authorization === `Bearer ${options.apiKey}`
        ? undefined
        : { status: 401, body: { error: { type: 'auth_required', message: 'Invalid API key' } } },
    record: (req) => ({ path: req.path, domain: req.query.domain ?? null, authorization: req.headers.authorization }),
  });
  return { url: server.url, requests: server.requests, close: server.close };
}

/** A Clearbit company body, as the real API shapes it. */
export function clearbitCompany(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'c5a6a9c5-1234',
    name: 'Acme Corp',
    legalName: 'Acme Corporation',
    domain: 'acme.com',
    category: {
      sector: 'Information Technology',
      industryGroup: 'Software & Services',
      industry: 'Technology',
      subIndustry: 'Software',
    },
    metrics: { employees: 120, employeesRange: '51-250', estimatedAnnualRevenue: '$10M-$50M', raised: null },
    linkedin: { handle: 'company/acme-corp' },
    geo: { city: 'San Francisco', state: 'California', stateCode: 'CA', country: 'United States', countryCode: 'US' },
    ...overrides,
  };
}

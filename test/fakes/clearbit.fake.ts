import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Clearbit Company API on 127.0.0.1: `GET /v2/companies/find?domain=…` with a bearer key. */
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

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limit';
  return status >= 500 ? 'server_error' : 'queued';
}

export async function startClearbitFake(options: ClearbitFakeOptions): Promise<ClearbitFake> {
  const requests: ClearbitFake['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const domain = url.searchParams.get('domain');
    requests.push({ path: url.pathname, domain, authorization: req.headers.authorization });
    if (req.method !== 'GET' || url.pathname !== '/v2/companies/find') return send(res, 404, { error: { type: 'not_found' } });
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, 401, { error: { type: 'auth_required', message: 'Invalid API key' } });
    }
    if (!domain) return send(res, 422, { error: { type: 'invalid_request', message: 'domain is required' } });
    const status = options.statuses?.[domain];
    if (status) {
      const headers: Record<string, string> = status === 429 && options.retryAfter ? { 'retry-after': options.retryAfter } : {};
      return send(res, status, { error: { type: errorType(status) } }, headers);
    }
    const company = options.companies?.[domain];
    if (!company) return send(res, 404, { error: { type: 'unknown_record', message: `Unknown domain ${domain}` } });
    return send(res, 200, company);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const delay = options.delaysMs?.[url.searchParams.get('domain') ?? ''];
    if (!delay) return handle(req, res);
    const timer = setTimeout(() => {
      timers.delete(timer);
      handle(req, res);
    }, delay);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A Clearbit company body, as the real API shapes it. */
export function clearbitCompany(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'c5a6a9c5-1234',
    name: 'Acme Corp',
    legalName: 'Acme Corporation',
    domain: 'acme.com',
    category: { sector: 'Information Technology', industryGroup: 'Software & Services', industry: 'Technology', subIndustry: 'Software' },
    metrics: { employees: 120, employeesRange: '51-250', estimatedAnnualRevenue: '$10M-$50M', raised: null },
    linkedin: { handle: 'company/acme-corp' },
    geo: { city: 'San Francisco', state: 'California', stateCode: 'CA', country: 'United States', countryCode: 'US' },
    ...overrides,
  };
}

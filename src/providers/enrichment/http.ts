import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { Enrichment, EnrichmentInput, EnrichmentProvider } from './enrichment.js';
import { enrichLocally } from './local.js';
import type { Fetch } from '../http/guarded-fetch.js';
import { withoutTrailingSlashes } from '../../lib/text.js';

/** Clearbit's Company API response, read leniently: any field may be missing or null. */
const companySchema = z.object({
  name: z.string().nullish(),
  domain: z.string().nullish(),
  category: z.object({ industry: z.string().nullish() }).nullish(),
  metrics: z
    .object({
      employeesRange: z.string().nullish(),
      estimatedAnnualRevenue: z.string().nullish(),
    })
    .nullish(),
  linkedin: z.object({ handle: z.string().nullish() }).nullish(),
  geo: z
    .object({
      city: z.string().nullish(),
      stateCode: z.string().nullish(),
      state: z.string().nullish(),
      country: z.string().nullish(),
      countryCode: z.string().nullish(),
    })
    .nullish(),
});
type Company = z.infer<typeof companySchema>;

export interface HttpEnrichmentOptions {
  /** Vendor base URL, e.g. `https://company.clearbit.com`; configurable for proxies and test fakes. */
  baseUrl: string;
  apiKey: string;
  /** Give up on the vendor after this long and answer locally. */
  timeoutMs?: number;
  /** Names the vendor in `enrichment.source`. */
  source?: string;
  /** Region for phone numbers without a country code, in the local fallback. */
  defaultRegion?: CountryCode;
  /** The SSRF-guarded client: the base URL is a tenant setting. */
  fetch: Fetch;
  /** Clock in epoch ms, for the pause after a 429; injectable so tests control it. */
  now?: () => number;
}

/** How long to leave a rate-limited vendor alone when its 429 names no Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Retry-After as delay-seconds or an HTTP date, in ms from `now`. */
function retryAfterMs(header: string | null, now: number): number {
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = header ? Date.parse(header) : Number.NaN;
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now);
}

function linkedinUrl(handle: string | null | undefined): string | null {
  if (!handle) return null;
  if (/^https?:\/\//.test(handle)) return handle;
  return `https://www.linkedin.com/${handle.includes('/') ? handle.replace(/^\/+/, '') : `company/${handle}`}`;
}

function merge(local: Enrichment, company: Company, source: string): Enrichment {
  const geo = company.geo;
  const place = [geo?.city, geo?.stateCode ?? geo?.state].filter((part): part is string => Boolean(part));
  return {
    domain: company.domain ?? local.domain,
    free_mail: local.free_mail,
    company_name: company.name ?? local.company_name,
    company_size: company.metrics?.employeesRange ?? local.company_size,
    industry: company.category?.industry ?? local.industry,
    estimated_revenue: company.metrics?.estimatedAnnualRevenue ?? local.estimated_revenue,
    linkedin_url: linkedinUrl(company.linkedin?.handle) ?? local.linkedin_url,
    location: place.length > 0 ? place.join(', ') : (geo?.country ?? local.location),
    country: geo?.countryCode ?? geo?.country ?? local.country,
    source,
  };
}

/**
 * Enrichment from a Clearbit/Apollo-style company API: `GET {baseUrl}/v2/companies/find?domain=…`
 * with a bearer key. Free-mail and domain-less leads are answered locally without a call; any
 * vendor failure (404 unknown domain, 429, 5xx, timeout, bad body, a base URL the SSRF guard
 * refuses) also falls back to the local answer, because enrichment decorates a lead and must
 * never block scoring it. After a 429 the vendor is left alone until its Retry-After passes, so
 * a burst of leads does not spend the quota on refusals.
 */
export function createHttpEnrichment(options: HttpEnrichmentOptions): EnrichmentProvider {
  const timeoutMs = options.timeoutMs ?? 3000;
  const source = options.source ?? 'clearbit';
  const baseUrl = withoutTrailingSlashes(options.baseUrl);
  const now = options.now ?? Date.now;
  let pausedUntil = 0;

  return {
    async enrich(input: EnrichmentInput): Promise<Enrichment> {
      const local = enrichLocally(input, options.defaultRegion);
      if (!local.domain || local.free_mail || now() < pausedUntil) return local;
      try {
        const url = `${baseUrl}/v2/companies/find?domain=${encodeURIComponent(local.domain)}`;
        const response = await options.fetch(url, {
          headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.status === 429) pausedUntil = now() + retryAfterMs(response.headers.get('retry-after'), now());
        // 202 means the vendor queued the lookup; there is nothing to use yet.
        if (response.status !== 200) {
          await response.body?.cancel();
          return local;
        }
        const parsed = companySchema.safeParse(await response.json());
        return parsed.success ? merge(local, parsed.data, source) : local;
      } catch {
        return local;
      }
    },
  };
}

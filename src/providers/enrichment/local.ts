import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { extractTeamSize } from '../../lib/sizes.js';
import type { Enrichment, EnrichmentInput, EnrichmentProvider } from './enrichment.js';
import { isFreeMailDomain } from './free-mail.js';

/** Company fields people fill with "n/a" when there is no company. */
const NO_COMPANY =
  /^(?:n\/?a|none|no|null|nil|-+|\.+|self|self[- ]employed|personal|private|individual|home|homeowner|me|test)$/i;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
/** Two-label public suffixes: the company label sits before them ("acme.co.uk"). */
const SECOND_LEVEL = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'com.au',
  'net.au',
  'co.nz',
  'co.jp',
  'com.br',
  'co.in',
  'co.za',
  'com.mx',
  'com.sg',
]);
/** Country-code TLDs that mean a country; .io, .co, .ai, .me, .tv and friends are used worldwide. */
const CCTLD_COUNTRY: Readonly<Record<string, string>> = {
  uk: 'GB',
  de: 'DE',
  fr: 'FR',
  es: 'ES',
  it: 'IT',
  nl: 'NL',
  be: 'BE',
  ch: 'CH',
  at: 'AT',
  se: 'SE',
  no: 'NO',
  dk: 'DK',
  fi: 'FI',
  ie: 'IE',
  pt: 'PT',
  pl: 'PL',
  cz: 'CZ',
  ca: 'CA',
  mx: 'MX',
  br: 'BR',
  ar: 'AR',
  au: 'AU',
  nz: 'NZ',
  jp: 'JP',
  kr: 'KR',
  cn: 'CN',
  in: 'IN',
  sg: 'SG',
  za: 'ZA',
  il: 'IL',
  ae: 'AE',
  us: 'US',
};
/** Company-size buckets, as CRMs and LinkedIn show them. */
const SIZE_BUCKETS: readonly [number, string][] = [
  [10, '1-10'],
  [50, '11-50'],
  [200, '51-200'],
  [500, '201-500'],
  [1000, '501-1000'],
  [5000, '1001-5000'],
  [10000, '5001-10000'],
];

export function sizeBucket(headcount: number): string {
  return SIZE_BUCKETS.find(([max]) => headcount <= max)?.[1] ?? '10001+';
}

function domainOf(input: EnrichmentInput): string | null {
  const email = input.email?.trim().toLowerCase();
  const at = email?.lastIndexOf('@') ?? -1;
  if (email && at > 0 && DOMAIN.test(email.slice(at + 1))) return email.slice(at + 1);
  const company = input.company
    ?.trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .split('/', 1)[0];
  return company && DOMAIN.test(company) ? company : null;
}

function companyLabel(domain: string): string {
  const labels = domain.split('.');
  const suffix = labels.slice(-2).join('.');
  return (SECOND_LEVEL.has(suffix) ? labels.at(-3) : labels.at(-2)) ?? domain;
}

/** "acme.com" → "Acme", "bright-path.co.uk" → "Bright Path". */
export function companyNameFromDomain(domain: string): string {
  return companyLabel(domain)
    .split('-')
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function countryOf(domain: string | null, phone: string | undefined, region: CountryCode): string | null {
  const tld = domain?.split('.').at(-1);
  const fromTld = tld ? CCTLD_COUNTRY[tld] : undefined;
  if (fromTld) return fromTld;
  if (!phone?.trim()) return null;
  return parsePhoneNumberFromString(phone, region)?.country ?? null;
}

/** What can be known without calling anyone: domain, free-mail or not, a name, a country, a size the lead stated. */
export function enrichLocally(input: EnrichmentInput, region: CountryCode = 'US'): Enrichment {
  const domain = domainOf(input);
  const freeMail = domain !== null && isFreeMailDomain(domain);
  const company = input.company?.trim();
  const companyName =
    company && !NO_COMPANY.test(company) && !DOMAIN.test(company)
      ? company
      : domain && !freeMail
        ? companyNameFromDomain(domain)
        : null;
  const headcount = input.text ? extractTeamSize(input.text) : null;
  return {
    domain,
    free_mail: freeMail,
    company_name: companyName,
    company_size: headcount ? sizeBucket(headcount) : null,
    industry: null,
    estimated_revenue: null,
    linkedin_url: null,
    location: null,
    country: countryOf(domain, input.phone, region),
    source: 'local',
  };
}

export interface LocalEnrichmentOptions {
  /** Region for phone numbers without a country code. */
  defaultRegion?: CountryCode;
}

export function createLocalEnrichment(options: LocalEnrichmentOptions = {}): EnrichmentProvider {
  const region = options.defaultRegion ?? 'US';
  return { enrich: (input) => Promise.resolve(enrichLocally(input, region)) };
}

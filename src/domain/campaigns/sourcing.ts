import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SafeHttp } from '../../providers/http/safe-fetch.js';
import { createPlacesSearch } from '../../providers/places/google-places.js';
import { recipientZone } from '../compliance/index.js';
import type { SourcedLeads } from '../leads/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { Campaign, RejectedRow, UploadReport } from './campaigns.records.js';
import type { CampaignsRepo } from './campaigns.repo.js';
import { cityZone } from './city-zones.js';
import { csvRecords } from './csv-stream.js';

/**
 * Sourcing: the people a campaign calls, from a CSV upload or a places search for its niche in
 * each of its cities. Each becomes (or is found as) a lead through the leads door, then a target
 * of the campaign; a phone the campaign already has is not added twice.
 */

export interface SourcingPorts {
  repo: CampaignsRepo;
  clock: Clock;
  tenants: Pick<TenantsService, 'get' | 'getConfigWithSecrets'>;
  leads: Pick<SourcedLeads, 'record'>;
  http: SafeHttp;
}

/** Rows one upload reads at most; a longer file is cut there and the cut reported. */
export const MAX_UPLOAD_ROWS = 50_000;

interface Found {
  phone: string;
  company: string;
  city: string | null;
  category: string | null;
  origin: 'csv' | 'places';
}

/** Makes the lead and adds it to the campaign; false when the campaign already has the phone. */
async function addTarget(ports: SourcingPorts, tenantId: string, campaign: Campaign, found: Found): Promise<boolean> {
  const tenant = await ports.tenants.get(tenantId);
  const { leadId } = await ports.leads.record(tenantId, {
    phone: found.phone,
    company: found.company,
    city: found.city,
    niche: campaign.niche,
    category: found.category,
    source: 'campaign',
    metadata: { campaign_id: campaign.id, sourced_from: found.origin },
  });
  const timeZone = recipientZone(found.phone) ?? cityZone(found.city) ?? tenant.timezone;
  const at = ports.clock.now().toISOString();
  return ports.repo.insertTarget(tenantId, {
    id: newId('ctgt'),
    campaignId: campaign.id,
    leadId,
    phone: found.phone,
    timeZone,
    at,
  });
}

/** E.164 when the number is valid (national numbers read in `country`), else undefined. */
export function e164(raw: string, country: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim().slice(0, 64), country);
  return parsed?.isValid() ? parsed.number : undefined;
}

const cell = (row: Record<string, string>, names: readonly string[]): string | null => {
  for (const name of names) {
    const v = row[name]?.trim();
    if (v) return v;
  }
  return null;
};

type RowResult = { found: Found } | { rejected: Omit<RejectedRow, 'row'> };

function readRow(row: Record<string, string>, country: CountryCode): RowResult {
  const raw = cell(row, ['phone', 'phone_number', 'mobile', 'number']);
  if (!raw) return { rejected: { field: 'phone', message: 'is missing' } };
  const phone = e164(raw, country);
  if (!phone) return { rejected: { field: 'phone', message: `'${raw.slice(0, 40)}' is not a valid phone number` } };
  const company = cell(row, ['company', 'company_name', 'business_name', 'name']) ?? phone;
  return {
    found: {
      phone,
      company: company.slice(0, 200),
      city: cell(row, ['city'])?.slice(0, 120) ?? null,
      category: cell(row, ['category'])?.slice(0, 120) ?? null,
      origin: 'csv',
    },
  };
}

/**
 * Reads a CSV with a header row, one record at a time as it streams in: a `phone` column
 * (or `phone_number`, `mobile`, `number`) is required; `company` (or `company_name`,
 * `business_name`, `name`), `city` and `category` are taken when present. Row numbers count the
 * header as row 1.
 */
export async function importCsv(
  ports: SourcingPorts,
  tenantId: string,
  campaign: Campaign,
  body: AsyncIterable<Buffer | string>,
  country: CountryCode,
): Promise<UploadReport> {
  const report: UploadReport = { accepted: 0, rejected: [] };
  let line = 1;
  const records = csvRecords<Record<string, string>>(body, {
    columns: (header: string[]) => header.map((c) => c.trim().toLowerCase()),
  });
  for await (const record of records) {
    line += 1;
    if (line - 1 > MAX_UPLOAD_ROWS) {
      report.rejected.push({ row: line, field: 'body', message: `only the first ${MAX_UPLOAD_ROWS} rows are read` });
      break;
    }
    const result = readRow(record, country);
    if ('rejected' in result) report.rejected.push({ row: line, ...result.rejected });
    else if (await addTarget(ports, tenantId, campaign, result.found)) report.accepted += 1;
    else report.rejected.push({ row: line, field: 'phone', message: 'is already in this campaign' });
  }
  return report;
}

/**
 * The places search for the campaign's niche in each of its cities, up to its target lead count,
 * when the tenant configured one (`campaigns.places`); places without a phone are skipped.
 */
export async function sourceFromPlaces(ports: SourcingPorts, tenantId: string, campaign: Campaign): Promise<number> {
  const places = (await ports.tenants.getConfigWithSecrets(tenantId)).campaigns?.places;
  if (!places?.api_key) return 0;
  const search = createPlacesSearch(ports.http, {
    apiKey: places.api_key,
    ...(places.base_url ? { baseUrl: places.base_url } : {}),
  });
  let added = 0;
  for (const city of campaign.targetCities) {
    const room = campaign.targetLeadCount - (await ports.repo.countTargets(tenantId, campaign.id));
    if (room <= 0) break;
    for (const place of await search.search(campaign.niche.replaceAll('_', ' '), city, room)) {
      const phone = place.phone ? e164(place.phone, 'US') : undefined;
      if (!phone) continue;
      const found: Found = { phone, company: place.name.slice(0, 200), city, category: null, origin: 'places' };
      if (await addTarget(ports, tenantId, campaign, found)) added += 1;
    }
  }
  return added;
}

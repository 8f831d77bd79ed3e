import type { CountryCode } from 'libphonenumber-js';
import type { UploadReport } from './campaigns.records.js';
import type { CampaignsRepo } from './campaigns.repo.js';
import { csvRecords } from './csv-stream.js';
import { e164 } from './sourcing.js';

/**
 * The tenant's do-not-call list from a CSV of numbers: one number per line in the first column,
 * any further columns ignored, a first line with letters taken as a header. India's NCPR/DND
 * registry files (a 10-digit mobile number per line, optionally with a preference column) read as
 * they are: a bare 10-digit number is an Indian one.
 */

const MAX_ROWS = 1_000_000;
const BATCH = 500;
const TEN_DIGITS = /^\d{10}$/;
const LETTER = /[a-z]/i;

function dncNumber(raw: string, country: CountryCode): string | undefined {
  const text = raw.trim();
  return TEN_DIGITS.test(text) ? e164(text, 'IN') : e164(text, country);
}

export async function importDnc(
  repo: CampaignsRepo,
  tenantId: string,
  body: AsyncIterable<Buffer | string>,
  opts: { country: CountryCode; at: string },
): Promise<UploadReport> {
  const report: UploadReport = { accepted: 0, rejected: [] };
  let pending: string[] = [];
  let row = 0;
  for await (const record of csvRecords<string[]>(body, { delimiter: [',', ';', '\t', '|'] })) {
    row += 1;
    if (row > MAX_ROWS) break;
    const first = (record[0] ?? '').slice(0, 64);
    if (row === 1 && LETTER.test(first)) continue;
    const phone = dncNumber(first, opts.country);
    if (!phone) {
      report.rejected.push({ row, field: 'phone', message: `'${first.slice(0, 40)}' is not a valid phone number` });
      continue;
    }
    pending.push(phone);
    report.accepted += 1;
    if (pending.length >= BATCH) {
      await repo.addDnc(tenantId, pending, opts.at);
      pending = [];
    }
  }
  await repo.addDnc(tenantId, pending, opts.at);
  return report;
}

import fs from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { csvLine, type CsvCell } from '../../lib/csv.js';
import type { RequestDetail } from '../calls/index.js';

/**
 * The files of spec A's export: what a record leaves out without `include_pii` /
 * `include_audio`, and the JSON, CSV and XLSX writers.
 */

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const REDACTED = '[redacted]';

export interface ExportOptions {
  includePii: boolean;
  includeAudio: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Keys are matched wherever they sit (call_data, original_payload, nested enriched_data), since each
// source names the caller differently: CallRail's caller_id / customer_phone_number, the form's customer_email.
const NAME_KEY = /(^|_)(caller|customer|contact|lead|first|last|full)_?name$/i;
const PHONE_KEY = /phone|caller_id|mobile/i;
const EMAIL_KEY = /e_?mail/i;
/** Everything under these keys is what was said on the call. */
const TRANSCRIPT_KEY = /transcript|segments|utterances/i;
const AUDIO_KEY = /^(recording|audio)(_(url|uri|file|path|location))?$|_(recording|audio)_url$/i;

// Starts only where a run of local-part characters starts and reads the domain label by label, so a
// 200,000-character field is read once instead of once per starting position.
const EMAIL_TEXT = /(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;
// E.164 and the usual North American forms; free text (a project description) can carry either.
const PHONE_TEXT = /\+\d[\d\s().-]{6,18}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g;

function redactText(text: string): string {
  return text.replace(EMAIL_TEXT, REDACTED).replace(PHONE_TEXT, REDACTED);
}

function redactAll(value: Json): Json {
  if (Array.isArray(value)) return value.map(redactAll);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'speaker' ? v : redactAll(v)]));
  // Timings and confidences inside a transcript say nothing about the caller; the words do.
  return typeof value === 'string' ? REDACTED : value;
}

function strip(value: Json, options: ExportOptions): Json {
  if (Array.isArray(value)) return value.map((v) => strip(v, options));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) {
      if (!options.includeAudio && AUDIO_KEY.test(key)) continue;
      if (
        !options.includePii &&
        v !== null &&
        typeof v !== 'boolean' &&
        (NAME_KEY.test(key) || PHONE_KEY.test(key) || EMAIL_KEY.test(key) || TRANSCRIPT_KEY.test(key))
      ) {
        out[key] = typeof v === 'object' ? redactAll(v) : REDACTED;
        continue;
      }
      out[key] = strip(v, options);
    }
    return out;
  }
  return typeof value === 'string' && !options.includePii ? redactText(value) : value;
}

/** The record as the export shows it: PII redacted and recording links dropped unless asked for. */
export function exportRecord(record: RequestDetail, options: ExportOptions): RequestDetail {
  return strip(record as unknown as Json, options) as unknown as RequestDetail;
}

export const CSV_COLUMNS = [
  'request_id',
  'source_type',
  'external_id',
  'status',
  'created_at',
  'processed_at',
  'processing_time_ms',
  'caller_name',
  'caller_phone',
  'caller_email',
  'intent',
  'lead_score',
  'project_type',
  'transcript',
  'recording_url',
  'crm_status',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The first of the candidates that is a string or a number: sources name the same fact differently. */
function first(...candidates: unknown[]): CsvCell {
  for (const c of candidates) if (typeof c === 'string' || typeof c === 'number') return c;
  return null;
}

/** One row of the flat formats, from an already redacted record. */
export function flatRow(r: RequestDetail): Record<CsvColumn, CsvCell> {
  const p = r.original_payload;
  const e = r.enriched_data;
  const a = r.ai_analysis;
  return {
    request_id: r.request_id,
    source_type: r.source_type,
    external_id: r.external_id,
    status: r.status,
    created_at: r.created_at,
    processed_at: r.processed_at,
    processing_time_ms: r.processing_time_ms,
    caller_name: first(
      at(e, 'callrail_details', 'caller_name'),
      at(r.call_data, 'caller_name'),
      at(p, 'caller_name'),
      at(p, 'customer_name'),
    ),
    caller_phone: first(
      at(r.call_data, 'caller_phone'),
      at(p, 'caller_id'),
      at(p, 'customer_phone'),
      at(p, 'customer_phone_number'),
    ),
    caller_email: first(at(r.call_data, 'caller_email'), at(p, 'customer_email')),
    intent: first(at(a, 'intent'), at(e, 'ai_analysis', 'intent')),
    lead_score: first(at(a, 'lead_score'), at(e, 'ai_analysis', 'lead_score')),
    project_type: first(
      at(a, 'project_details', 'type'),
      at(e, 'ai_analysis', 'extracted_entities', 'project_type'),
      at(p, 'project_type'),
    ),
    transcript: first(at(a, 'transcript'), at(e, 'audio_analysis', 'transcript')),
    recording_url: first(at(r.call_data, 'recording_url'), at(p, 'recording_url')),
    crm_status:
      r.crm_integrations.length > 0 ? r.crm_integrations.map((c) => `${c.crm_type}:${c.status}`).join(', ') : null,
  };
}

/** The text of a CSV or JSON export, piece by piece, counting the records into `counted`. */
async function* exportText(
  format: 'csv' | 'json',
  pages: AsyncIterable<RequestDetail[]>,
  counted: { count: number },
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(CSV_COLUMNS);
  else yield '[';
  for await (const page of pages) {
    for (const record of page) {
      if (format === 'csv') {
        const row = flatRow(record);
        yield csvLine(CSV_COLUMNS.map((c) => row[c]));
      } else {
        yield `${counted.count === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`;
      }
      counted.count += 1;
    }
  }
  if (format === 'json') yield counted.count === 0 ? ']\n' : '\n]\n';
}

/**
 * Writes the records to `file` in the format; resolves with the count. Pages arrive already
 * redacted. A write error (a full disk) rejects, so the job fails instead of waiting on the disk.
 */
export async function writeExportFile(
  format: ExportFormat,
  file: string,
  pages: AsyncIterable<RequestDetail[]>,
): Promise<number> {
  const counted = { count: 0 };
  if (format !== 'xlsx') {
    await pipeline(Readable.from(exportText(format, pages, counted)), fs.createWriteStream(file));
    return counted.count;
  }
  const out = fs.createWriteStream(file);
  const failed = once(out, 'error').then(([error]: unknown[]) =>
    Promise.reject(error instanceof Error ? error : new Error(String(error))),
  );
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const written = (async () => {
    const sheet = workbook.addWorksheet('requests');
    sheet.addRow([...CSV_COLUMNS]).commit();
    for await (const page of pages) {
      for (const record of page) {
        const row = flatRow(record);
        sheet.addRow(CSV_COLUMNS.map((c) => row[c])).commit();
        counted.count += 1;
      }
    }
    sheet.commit();
    await workbook.commit();
    if (!out.closed) await once(out, 'close');
  })();
  await Promise.race([written, failed]);
  return counted.count;
}

import fs from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { csvLine, type CsvCell } from '../../lib/csv.js';

/** The files an export writes: JSON (the records as they are), and CSV and XLSX through a table layout. */

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** How a flat file shows records: its header and one row per record (the surface that owns the document says which). */
export interface TableLayout<T> {
  /** The worksheet's name in an XLSX file. */
  sheet: string;
  columns: readonly string[];
  row(record: T): readonly CsvCell[];
}

/** A whole CSV text: the header, then one line per record. */
export function csvText<T>(layout: Pick<TableLayout<T>, 'columns' | 'row'>, records: readonly T[]): string {
  return csvLine(layout.columns) + records.map((r) => csvLine(layout.row(r))).join('');
}

/** The text of a CSV or JSON export, piece by piece, counting the records into `counted`. */
async function* exportText<T>(
  format: 'csv' | 'json',
  pages: AsyncIterable<T[]>,
  layout: TableLayout<T>,
  counted: { count: number },
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(layout.columns);
  else yield '[';
  for await (const page of pages) {
    for (const record of page) {
      if (format === 'csv') yield csvLine(layout.row(record));
      else yield `${counted.count === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`;
      counted.count += 1;
    }
  }
  if (format === 'json') yield counted.count === 0 ? ']\n' : '\n]\n';
}

async function writeWorkbook<T>(file: string, pages: AsyncIterable<T[]>, layout: TableLayout<T>): Promise<number> {
  let count = 0;
  const out = fs.createWriteStream(file);
  const failed = once(out, 'error').then(([error]: unknown[]) =>
    Promise.reject(error instanceof Error ? error : new Error(String(error))),
  );
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const written = (async () => {
    const sheet = workbook.addWorksheet(layout.sheet);
    sheet.addRow([...layout.columns]).commit();
    for await (const page of pages) {
      for (const record of page) {
        sheet.addRow([...layout.row(record)]).commit();
        count += 1;
      }
    }
    sheet.commit();
    await workbook.commit();
    if (!out.closed) await once(out, 'close');
  })();
  await Promise.race([written, failed]);
  return count;
}

/**
 * Writes the records to `file` in the format; resolves with the count. Pages arrive already
 * redacted. A write error (a full disk) rejects, so the job fails instead of waiting on the disk.
 */
export async function writeExportFile<T>(
  format: ExportFormat,
  file: string,
  pages: AsyncIterable<T[]>,
  layout: TableLayout<T>,
): Promise<number> {
  if (format === 'xlsx') return writeWorkbook(file, pages, layout);
  const counted = { count: 0 };
  await pipeline(Readable.from(exportText(format, pages, layout, counted)), fs.createWriteStream(file));
  return counted.count;
}

const COLUMNS = ['id', 'created_at', 'name', 'email', 'phone', 'company', 'source', 'status', 'score', 'tier'] as const;

/** The columns of a lead the file holds; declared here so this file stands alone, like `aggregate.ts`. */
export type ExportedLead = Record<(typeof COLUMNS)[number], string | number | null>;

/** A cell as RFC 4180 wants it, and never read as a formula by a spreadsheet (a leading =, +, - or @ is quoted away). */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The leads behind the charts, one row each, to open in a spreadsheet. */
export function leadsCsv(leads: readonly ExportedLead[]): string {
  const rows = leads.map((lead) => COLUMNS.map((column) => cell(lead[column])).join(','));
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The figures of a range, one row each (`section,figure,value`), to open in a spreadsheet. */
export function figuresCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return ['section,figure,value', ...rows.map((row) => row.map(cell).join(','))].join('\r\n') + '\r\n';
}

/** One cell of a CSV row: numbers stay numbers, null is an empty cell. */
export type CsvCell = string | number | null;

/**
 * OWASP's rule against formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return is read by spreadsheets as a formula, so it is written with a leading
 * apostrophe, which they show as text. Numbers are written as they are, and so is text made only
 * of digits and number punctuation ("+1 512-555-0199", "-40"): with no letters, quotes or symbols
 * it can name no function, link or command, and phone numbers stay readable.
 */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-][\d\s().,+-]*$/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; the line ends in CRLF. */
export function csvLine(cells: readonly CsvCell[]): string {
  const fields = cells.map((cell) => (cell === null ? '' : typeof cell === 'number' ? String(cell) : inert(cell)));
  return `${fields.map((s) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)).join(',')}\r\n`;
}

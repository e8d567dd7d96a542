/**
 * The CSV export of a report: UTF-8 with a byte-order mark (so spreadsheet programs read the
 * accents), CRLF line ends, `;` or `,` between fields as configured, and fields quoted when they
 * hold the separator, a quote or a line break (RFC 4180). A field that a spreadsheet would run as
 * a formula (starting with =, +, - or @) is prefixed with an apostrophe.
 */
export const BOM = '\uFEFF';

export type CsvSeparator = ';' | ',';

export function csvField(value: string | number | null, separator: CsvSeparator): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    // A decimal comma would clash with `,`; with `;` a spreadsheet in Spanish expects one.
    return separator === ';' ? String(value).replace('.', ',') : String(value);
  }
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly (string | number | null)[])[], separator: CsvSeparator): string {
  return BOM + rows.map((row) => row.map((v) => csvField(v, separator)).join(separator)).join('\r\n') + '\r\n';
}

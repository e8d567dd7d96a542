/** A parsed CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
    this.line = line;
  }
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally double-quoted (with "" for a quote, and
 * commas or line breaks inside), CRLF or LF line ends, an optional UTF-8 byte-order mark.
 * Blank lines are skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let cellStarted = false;
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;

  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    cellStarted = false;
  };

  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cellStarted && cell !== '') throw new CsvError(line, 'a quote inside an unquoted field; quote the whole field');
      quoted = true;
      cellStarted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      cellStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
      cellStarted = true;
    }
  }
  if (quoted) throw new CsvError(recordLine, 'a quoted field is not closed');
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

// CSV as spreadsheet programs write it (RFC 4180): quoted cells may hold commas, quotes and line
// breaks. Pure; never throws.

export interface CsvRow {
  /** The line of the file the row starts on, counted from 1 (what a clerk sees in an editor). */
  line: number;
  cells: string[];
}

/** Rows of a CSV text; a byte-order mark is dropped and blank lines are skipped. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]?.trim()) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** A file's text: UTF-8 when it is valid UTF-8, else GB18030 (what Chinese spreadsheet programs save). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * A typed cell made safe for spreadsheet programs: text starting with = + - @ (or a tab or carriage
 * return) would run as a formula there, so it gets a leading apostrophe. Numbers stay numbers.
 */
export function neutralise(cell: string | number): string {
  if (typeof cell === 'number') return String(cell);
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** CSV that spreadsheet programs open with Chinese intact: UTF-8 with a byte-order mark, CRLF. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  const quote = (cell: string) =>
    /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  return `\uFEFF${rows.map((row) => row.map((cell) => quote(neutralise(cell))).join(',')).join('\r\n')}\r\n`;
}

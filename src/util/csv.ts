// CSV for spreadsheets, the one module every CSV file of mchlink goes through
// (the consult report, the onboarding credentials sheet). RFC 4180 quoting, and
// formula guarding: a spreadsheet program runs a cell that starts with = + - @
// (or a tab or carriage return it strips first) as a formula, so a display name
// such as "=HYPERLINK(...)" in a config could run on the administrator's laptop.
// Such text gets a leading apostrophe (OWASP's advice), which the spreadsheet
// shows as text. A value that itself starts with an apostrophe gets one more,
// so that `unguardText` gives back exactly what was written.

const FORMULA_START = /^[=+\-@'\t\r]/;

/** Text made safe to open in a spreadsheet; undo with `unguardText`. */
export function guardText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The text that `guardText` guarded (a field written before the guard existed comes back as it is). */
export function unguardText(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** One field: text guarded and always quoted, numbers bare, null empty. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return `"${guardText(value).replace(/"/g, '""')}"`;
}

/** One line without its line end. */
export function csvLine(values: ReadonlyArray<string | number | null>): string {
  return values.map(csvField).join(",");
}

/** Rows of fields as written (guards kept); LF or CRLF line ends, quoted or bare fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

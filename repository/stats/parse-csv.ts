/**
 * One record of a CSV text as `parseCsv` reads it: its fields, or why it could not be read.
 * `line` is the 1-based physical line the record starts on (a quoted field may span lines),
 * so an operator can find it in a spreadsheet or editor.
 */
export type CsvRow =
  | { kind: 'record'; line: number; fields: string[] }
  | { kind: 'error'; line: number; reason: string; problem: CsvProblem; field: number };

/** Why a record could not be read. */
export type CsvProblem = 'unclosed-quote' | 'text-after-quote' | 'quote-in-field';

/**
 * Parses CSV as RFC 4180 describes it (https://www.rfc-editor.org/rfc/rfc4180#section-2):
 * comma-separated fields; a field that holds a comma, quote or line break is enclosed in
 * double quotes and a quote inside is doubled. Records end with CRLF, LF or a lone CR; the
 * last may have no line break. Not lenient: a quote inside an unquoted field, text after a
 * closing quote, or an unclosed quote makes that record an `error` row; reading resumes at the
 * next physical line (an unclosed quote swallows the rest of the text, so it is the last row).
 * A blank line is a record with one empty field; the caller decides what to do with it. A
 * leading byte order mark is not removed here (decode with `TextDecoder`, which strips it).
 * Inverse of `formatCsv`.
 */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const length = text.length;
  let i = 0;
  let line = 1;

  /** Skips to just after the next line break: where reading resumes after a bad record. */
  const skipLine = () => {
    while (i < length && text[i] !== '\n' && text[i] !== '\r') i += 1;
    if (text[i] === '\r' && text[i + 1] === '\n') i += 1;
    if (i < length) {
      i += 1;
      line += 1;
    }
  };

  while (i < length) {
    const start = line;
    const fields: string[] = [];
    let error: { reason: string; problem: CsvProblem; field: number } | undefined;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i += 1;
        let closed = false;
        while (i < length) {
          const char = text[i]!;
          if (char === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line += 1;
          field += char;
          i += 1;
        }
        if (!closed) {
          error = csvError('unclosed-quote', fields.length + 1, 'a quoted field is never closed: add the closing double quote');
          break;
        }
        if (i < length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          error = csvError('text-after-quote', fields.length + 1, 'text after a closing double quote: enclose the whole field in quotes');
          break;
        }
      } else {
        const from = i;
        while (i < length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i += 1;
        field = text.slice(from, i);
        if (field.includes('"')) {
          error = csvError('quote-in-field', fields.length + 1, 'a double quote inside an unquoted field: enclose the field in quotes and double the quote ("")');
          break;
        }
      }
      fields.push(field);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      // End of record: a line break or the end of the text.
      if (i < length) {
        i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line += 1;
      }
      break;
    }
    if (error !== undefined) {
      rows.push({ kind: 'error', line: start, ...error });
      skipLine();
    } else {
      rows.push({ kind: 'record', line: start, fields });
    }
  }
  return rows;
}

function csvError(problem: CsvProblem, field: number, explanation: string) {
  return { reason: `field ${field}: ${explanation}`, problem, field };
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * Writes records as RFC 4180 CSV (https://www.rfc-editor.org/rfc/rfc4180#section-2): comma
 * separated, CRLF after every record, a field quoted (inner quotes doubled) when it holds a
 * comma, quote or line break or starts or ends with white space. Inverse of `parseCsv`.
 */
export function formatCsv(records: readonly (readonly string[])[]): string {
  return records.map((fields) => fields.map(quoteField).join(',') + '\r\n').join('');
}

function quoteField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

import { OaiProtocolError } from './oai-protocol-error.ts';

/** A `from` or `until` argument: the instant it names, and how finely it was given. */
export interface UtcBound {
  /** `YYYY-MM-DDThh:mm:ssZ`; for `until` given as a day, that day's last second. */
  instant: string;
  granularity: 'day' | 'seconds';
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** A datestamp at the repository's granularity, `YYYY-MM-DDThh:mm:ssZ` (OAI-PMH §3.3.1). */
export function formatDatestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Parses `from` or `until` at either granularity (§3.3.1); a day as `until` reaches its end,
 * so both bounds are inclusive at second resolution. Anything else — another format, a
 * date that does not exist, a fraction of a second — is a `badArgument`.
 */
export function parseUtcBound(name: 'from' | 'until', text: string): UtcBound {
  const day = DAY.exec(text);
  const seconds = SECONDS.exec(text);
  const parts = (day ?? seconds)?.slice(1).map(Number);
  if (parts === undefined) {
    throw new OaiProtocolError('badArgument', `'${name}' must be a UTC date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (got '${text}')`);
  }
  const [year, month, date, hour = 0, minute = 0, second = 0] = parts as [number, number, number, number?, number?, number?];
  const instant = new Date(Date.UTC(year, month - 1, date, hour, minute, second));
  const exists =
    instant.getUTCFullYear() === year &&
    instant.getUTCMonth() === month - 1 &&
    instant.getUTCDate() === date &&
    instant.getUTCHours() === hour &&
    instant.getUTCMinutes() === minute &&
    instant.getUTCSeconds() === second;
  if (!exists || year < 1) throw new OaiProtocolError('badArgument', `'${name}' names a date that does not exist: '${text}'`);
  if (day !== null && name === 'until') instant.setUTCHours(23, 59, 59);
  return { instant: formatDatestamp(instant), granularity: day === null ? 'seconds' : 'day' };
}

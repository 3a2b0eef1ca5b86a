import type { Request } from 'express';

const FORWARDED_PROTO = /^https?$/;
const FORWARDED_HOST = /^[A-Za-z0-9.:-]{1,255}$/;

/**
 * The base URL (scheme + host, no trailing slash) that the client used to reach us, for the
 * ids of IIIF resources (Presentation API 3.0 §4.1 `id`: "the URI at which it can be
 * retrieved"). When the request carries both `X-Forwarded-Proto` (exactly `http` or `https`)
 * and `X-Forwarded-Host` (letters, digits, `.`, `-`, `:` only), those win; any other value,
 * a comma-separated proxy chain, or only one of the two headers, is ignored and the
 * configured `PUBLIC_BASE_URL` is used. No other header is consulted. The headers count only
 * when the request came from a proxy express trusts (`trust proxy`, loopback by default):
 * anyone else could otherwise make our manifests point at their host.
 *
 * @see https://iiif.io/api/presentation/3.0/#id
 */
export function requestBaseUrl(req: Request, configuredBase: string): string {
  if (!fromTrustedProxy(req)) return configuredBase.replace(/\/+$/, '');
  const proto = singleHeader(req.headers['x-forwarded-proto']);
  const host = singleHeader(req.headers['x-forwarded-host']);
  if (proto !== undefined && host !== undefined && FORWARDED_PROTO.test(proto) && FORWARDED_HOST.test(host)) {
    return `${proto}://${host}`;
  }
  return configuredBase.replace(/\/+$/, '');
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

/** Whether the connection comes from an address express's `trust proxy` setting trusts. */
function fromTrustedProxy(req: Request): boolean {
  const trust = req.app.get('trust proxy fn') as ((address: string, hop: number) => boolean) | undefined;
  return trust !== undefined && trust(req.socket.remoteAddress ?? '', 0);
}

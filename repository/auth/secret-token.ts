import { createHash, randomBytes } from 'node:crypto';

/** A new secret (session cookie, API token, CSRF token): 32 random bytes, base64url. */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of a secret: its sha256. The secrets are random and long, so no salt or slow hash is needed. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A token's text starts with this, so a leaked one is recognisable (and redactable) as Jobdeck's. */
export const TOKEN_PREFIX = 'jdk_';
const TOKEN_BYTES = 32;

/** A new token: the prefix and 32 random bytes, base64url. */
export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/** The SHA-256 of a token, hex: what the tokens file keeps instead of the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether `token` hashes to `hash`, in constant time: both sides are 32-byte digests, so neither
 * the token's length nor where it differs shows in the time taken.
 */
export function tokenMatches(token: string, hash: string): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(hash, 'hex');
  // The stored size says nothing about the token presented: a malformed entry is refused outright.
  if (stored.length !== presented.length) return false;
  return timingSafeEqual(presented, stored);
}

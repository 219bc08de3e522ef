import { MASKED_PASSWORD } from '../../src-shared/profile-schemas';

/** A URL without its password, and the password (null when it names none). */
export interface SplitUrl {
  url: string;
  password: string | null;
}

export function splitPassword(url: string): SplitUrl {
  const parsed = new URL(url);
  if (parsed.password === '') return { url, password: null };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.href, password };
}

export function withPassword(url: string, password: string | null): string {
  if (password === null) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.href;
}

/** True when `url`'s password is the mask: a PATCH that sends back what GET showed keeps the stored password. */
export function isMaskedPassword(url: string): boolean {
  return URL.canParse(url) && decodeURIComponent(new URL(url).password) === MASKED_PASSWORD;
}

/** True when both URLs reach the same server as the same user (scheme, host, port and user). */
export function sameEndpoint(a: string, b: string): boolean {
  const [x, y] = [new URL(a), new URL(b)];
  return x.protocol === y.protocol && x.hostname === y.hostname && x.port === y.port && x.username === y.username;
}

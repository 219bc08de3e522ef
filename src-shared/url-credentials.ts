/**
 * An HTTP target named by a URL that may carry `user:password@`: fetch refuses such a URL, so the
 * credentials travel as HTTP Basic authorization instead (what curl does with the same URL).
 */
export interface HttpTarget {
  /** The URL without its user information. */
  url: string;
  /** `Basic …` when the URL named a user or password; null otherwise. */
  authorization: string | null;
}

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Splits the user information off an absolute URL. */
export function httpTarget(url: string): HttpTarget {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url, authorization: null };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, authorization: `Basic ${base64Utf8(`${user}:${password}`)}` };
}

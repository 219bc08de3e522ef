/**
 * Whether a built-in kind's failure means its own dependency is unreachable (the attempt then
 * does not count: see UnavailableError), rather than the job's failure.
 */

/** Socket errors of a connection that could not be made or was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg's own words when the pool cannot connect, or the connection died or went silent. */
const PG_CONNECTION_WORDS = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error/i;

/**
 * PostgreSQL could not be reached: the connection refused, reset or timed out, the pool could not
 * connect, the server shutting down or not accepting connections (SQLSTATE class 08, 57P01–57P03).
 * A data error (class 22, 23) or any other answer of the server is not.
 */
export function isPostgresUnreachable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  return typeof message === 'string' && PG_CONNECTION_WORDS.test(message);
}

/** nodemailer's codes of a connection that could not be made, had no greeting or was cut. */
const SMTP_CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

/**
 * The SMTP server could not be reached: refused, timed out, no greeting, the connection cut.
 * Whatever the server answered (a 4xx, kept a failed attempt; a 5xx, a permanent failure) is not.
 */
export function isSmtpUnreachable(error: unknown): boolean {
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  if (typeof responseCode === 'number') return false;
  return typeof code === 'string' && (SMTP_CONNECTION_CODES.has(code) || SOCKET_CODES.has(code));
}

/** An http handler's endpoint could not be connected to (fetch's cause: refused, reset, no such host). */
export function isConnectFailure(cause: unknown): boolean {
  const { code } = (cause ?? {}) as { code?: unknown };
  return typeof code === 'string' && SOCKET_CODES.has(code) && code !== 'ETIMEDOUT';
}

/** Connection settings of a PostgreSQL URL, as node-postgres takes them. */
export interface DatabaseConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
}

/**
 * Reads a `postgres://` URL. A URL without a user connects as `defaultUser` (the OS user, as
 * psql does), and one without a database name uses `jobdeck`.
 */
export function databaseConnection(url: string, defaultUser: string): DatabaseConnection {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'jobdeck',
    user: decodeURIComponent(parsed.username) || defaultUser,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}

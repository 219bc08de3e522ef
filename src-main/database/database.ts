import { userInfo } from 'node:os';
import pg from 'pg';
import { databaseConnection } from '../../src-shared/node/database-url';

/** Settings of a pool that names itself to the server (so a test can find its own backends). */
export interface DatabaseOptions {
  url: string;
  applicationName: string;
  maxConnections?: number;
}

const DATABASE_MISSING = '3D000';
const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Longest a query may wait for its answer: a server that went silent (a partition, no reset)
 * must not hold an API request, or a pool client, for ever.
 */
const QUERY_TIMEOUT_MS = 5_000;

function poolConfig(options: DatabaseOptions, database?: string): pg.PoolConfig {
  const connection = databaseConnection(options.url, process.env.PGUSER || userInfo().username);
  return {
    ...connection,
    database: database ?? connection.database,
    application_name: options.applicationName,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  };
}

const ALREADY_CREATED = new Set(['42P04', '23505']);

async function createDatabase(options: DatabaseOptions, name: string): Promise<void> {
  const admin = new pg.Client(poolConfig(options, 'postgres'));
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    // Another process may have created it in the meantime: 42P04 once it exists, 23505 (a unique
    // violation in pg_database) when both CREATEs ran at the same moment.
    if (!ALREADY_CREATED.has((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await admin.end();
  }
}

/** One connection of its own on the configured database (not opened yet): for LISTEN, which holds it. */
export function databaseClient(options: DatabaseOptions): pg.Client {
  const { user, password, host, port, database, ssl, application_name, connectionTimeoutMillis } = poolConfig(options);
  return new pg.Client({ user, password, host, port, database, ssl, application_name, connectionTimeoutMillis });
}

/** Opens a pool on the configured database, creating the database when it is missing. */
export async function openDatabase(options: DatabaseOptions): Promise<pg.Pool> {
  const config = poolConfig(options);
  let pool = new pg.Pool(config);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    if ((error as { code?: string }).code !== DATABASE_MISSING) throw error;
    await createDatabase(options, config.database!);
    pool = new pg.Pool(config);
    await pool.query('SELECT 1');
  }
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` in a transaction on one client of the pool: committed when it resolves, rolled back
 * when it throws (the error passes on). `before` runs on the client first, outside the transaction.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, before?: (client: pg.PoolClient) => Promise<void>): Promise<T> {
  const client = await pool.connect();
  try {
    await before?.(client);
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// Consoles started at the same moment on a database that does not exist yet: each opens it,
// whichever of them created it (their CREATE DATABASE statements race).
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/database/database';
import { TEST_SERVICES, testDatabaseConfig, uniqueNamespace } from '../support/namespace';

const name = uniqueNamespace('jdcreate');

function urlOf(database: string): string {
  const url = new URL(TEST_SERVICES.databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

afterAll(async () => {
  const admin = new pg.Client({ ...testDatabaseConfig(), database: 'postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
});

describe('a missing database', () => {
  it('is created once and opened by every console racing to create it', async () => {
    const options = { url: urlOf(name), applicationName: 'jobdeck-test-create' };
    const pools = await Promise.all(Array.from({ length: 6 }, () => openDatabase(options)));
    try {
      for (const pool of pools) {
        const { rows } = await pool.query<{ db: string }>('SELECT current_database() AS db');
        expect(rows[0]!.db).toBe(name);
      }
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});

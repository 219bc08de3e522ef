/**
 * `npm run tokens -- create|revoke` adds its row to the audit trail of JOBDECK_NAMESPACE on a
 * real PostgreSQL, and still makes the change (with one warning line) when the trail is not there.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src-main/access/token-store';
import { migrate } from '../../src-main/database/migrations';
import { TEST_SERVICES, testDatabaseConfig, uniqueNamespace } from '../support/namespace';

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-tokens-audit-'));
const file = join(dir, 'tokens.json');
const namespace = uniqueNamespace();
const pool = new pg.Pool(testDatabaseConfig());

beforeAll(async () => {
  await migrate(pool, namespace);
});
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(namespace)} CASCADE`);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

function tokens(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tokens.ts', ...args], {
    env: { ...process.env, JOBDECK_TOKENS_FILE: file, DATABASE_URL: TEST_SERVICES.databaseUrl, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('the audit rows of npm run tokens', () => {
  it('records a create and a revoke as cli:<OS user>, like the API records them', async () => {
    expect(tokens({ JOBDECK_NAMESPACE: namespace }, 'create', 'deploy', '--role', 'write')).toMatchObject({ code: 0, err: '' });
    expect(tokens({ JOBDECK_NAMESPACE: namespace }, 'revoke', 'deploy')).toMatchObject({ code: 0, err: '' });
    const { rows } = await pool.query(`SELECT actor, role, verb, target, route, params, status FROM ${pg.escapeIdentifier(namespace)}.audit ORDER BY at`);
    const actor = `cli:${userInfo().username}`;
    expect(rows).toEqual([
      { actor, role: 'write', verb: 'tokens.create', target: 'deploy', route: 'CLI tokens create', params: { name: 'deploy', role: 'write' }, status: 201 },
      { actor, role: 'write', verb: 'tokens.delete', target: 'deploy', route: 'CLI tokens revoke', params: null, status: 204 },
    ]);
  });

  it('still makes the change, with one warning line, when the namespace has no audit table or PostgreSQL is not there', () => {
    const noTable = tokens({ JOBDECK_NAMESPACE: uniqueNamespace() }, 'create', 'lonely', '--role', 'read');
    expect(noTable.code).toBe(0);
    expect(noTable.err).toMatch(/^\[tokens\] warning: the change is made, but the audit trail did not get its row \(.*audit.* does not exist\)\n$/);
    const noServer = tokens({ JOBDECK_NAMESPACE: namespace, DATABASE_URL: 'postgres://127.0.0.1:1/jobdeck' }, 'revoke', 'lonely');
    expect(noServer.code).toBe(0);
    expect(noServer.err.trim().split('\n')).toHaveLength(1);
    expect(noServer.err).toMatch(/warning: the change is made.*ECONNREFUSED/);
    expect(new TokenStore(file).list()).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src-main/database/migrations';
import type { JobMessage } from '../../src-shared/wire';
import { LogHandler } from '../../src-worker/handlers/log-handler';
import { LogRecordBatcher } from '../../src-worker/handlers/log-record-batcher';
import { testDatabaseConfig, uniqueNamespace } from '../support/namespace';

const schema = uniqueNamespace();
const table = `"${schema}".log_records`;
const CLIENT_TIME = '2019-09-22T18:38:15.000Z';
let pool: pg.Pool;
let records: LogRecordBatcher;

beforeAll(async () => {
  pool = new pg.Pool({ ...testDatabaseConfig(), max: 4 });
  await migrate(pool, schema);
  records = new LogRecordBatcher(pool, table);
});
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

const rowsOf = async (ids: string[]) =>
  (await pool.query<{ job_id: string; received_at: Date }>(`SELECT job_id, received_at FROM ${table} WHERE job_id = ANY($1::uuid[])`, [ids]))
    .rows;

describe('log records committed in groups', () => {
  it('writes every record of jobs that arrive together, in fewer commits than jobs', async () => {
    const ids = Array.from({ length: 300 }, () => randomUUID());
    const outcomes = await Promise.all(ids.map((id) => records.write(id, CLIENT_TIME)));
    expect(outcomes.every((o) => o.inserted)).toBe(true);
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(300);
    // received_at is the commit's transaction time: rows written together share it.
    expect(new Set(rows.map((r) => r.received_at.getTime())).size).toBeLessThan(300);
  });

  it('writes a record once when a job is delivered twice, together or later, and reports the first write', async () => {
    const id = randomUUID();
    const [first, second] = await Promise.all([records.write(id, CLIENT_TIME), records.write(id, CLIENT_TIME)]);
    expect([first!.inserted, second!.inserted]).toEqual([true, false]);
    const later = await records.write(id, CLIENT_TIME);
    expect(later.inserted).toBe(false);
    expect(later.received_at.getTime()).toBe(first!.received_at.getTime());
    expect(await rowsOf([id])).toHaveLength(1);
  });

  it('fails only the job whose record PostgreSQL refuses, and writes the others of its group', async () => {
    const good = Array.from({ length: 5 }, () => randomUUID());
    const bad = randomUUID();
    const settled = await Promise.allSettled([
      ...good.map((id) => records.write(id, CLIENT_TIME)),
      records.write(bad, 'not a time'),
    ]);
    expect(settled.slice(0, 5).every((s) => s.status === 'fulfilled')).toBe(true);
    expect(settled[5]!.status).toBe('rejected');
    expect(await rowsOf(good)).toHaveLength(5);
    expect(await rowsOf([bad])).toHaveLength(0);
  });
});

describe('kind A when the worker loses its job', () => {
  it('stops waiting for its insert at once; the record, if it lands, is found by the next delivery', async () => {
    const id = randomUUID();
    const job: JobMessage = { v: 1, uuid: id, type: 'A', kind: 'log', extra_data: { client_time: CLIENT_TIME }, created_at: CLIENT_TIME };
    const locker = await pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      const stop = new AbortController();
      const handler = new LogHandler(pool, schema);
      const running = handler.run({ job, attempt: 1, log: () => undefined, reportProgress: async () => undefined, signal: stop.signal });
      setTimeout(() => stop.abort(), 200);
      const started = Date.now();
      await expect(running).rejects.toThrow(/worker stopping/);
      expect(Date.now() - started).toBeLessThan(1_000);
      await locker.query('COMMIT');
      const again = await handler.run({ job, attempt: 1, log: () => undefined, reportProgress: async () => undefined, signal: new AbortController().signal });
      expect(again).toMatchObject({ job_id: id, inserted: false });
      expect(await rowsOf([id])).toHaveLength(1);
    } finally {
      locker.release();
    }
  });
});

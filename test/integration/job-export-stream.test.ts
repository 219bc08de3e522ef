import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { namesFor } from '../../src-shared/topology';
import { migrate } from '../../src-main/database/migrations';
import { JobHistory } from '../../src-main/history/job-history';
import { JobService } from '../../src-main/jobs/job-service';
import { API_HOST, UNUSED, apiWith } from '../support/api-app';
import { dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';

const namespace = uniqueNamespace('jdexport');
const schema = namesFor(namespace).schema;
const JOBS = 5_000;
/** 4 KB a job, 20 MB in all: more than the loopback socket buffers hold, so the server must wait for the reader. */
const PAD_CHARS = 4_000;
const OLDEST_ID = '00000000-0000-4000-8000-0000000000ff';
let pool: pg.Pool;
let app: Awaited<ReturnType<typeof apiWith>>;

beforeAll(async () => {
  pool = new pg.Pool(testDatabaseConfig());
  await migrate(pool, schema);
  await pool.query(
    `INSERT INTO "${schema}".jobs (id, kind, status, payload, created_at, updated_at, version)
     SELECT gen_random_uuid(), 'log', 'DONE', jsonb_build_object('n', g, 'pad', repeat('x', $1)),
       '2026-12-01T00:00:00Z'::timestamptz + g * interval '1 second', '2026-12-02T00:00:00Z', 1
     FROM generate_series(1, $2) AS g`,
    [PAD_CHARS, JOBS],
  );
  const history = new JobHistory(pool, schema);
  const jobs = new JobService({ status: UNUSED, publisher: UNUSED, history, defaults: UNUSED });
  app = await apiWith({ jobs, exportPageRows: 100 });
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await pool.end();
  await dropNamespace(namespace);
});

/** Reads an export; `onFirstBytes` runs while the response is paused after its first chunk. */
function readExport(path: string, onFirstBytes: () => Promise<void>): Promise<string> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: API_HOST } }, (res) => {
      const chunks: Buffer[] = [];
      let first = true;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (!first) return;
        first = false;
        res.pause();
        onFirstBytes().then(() => res.resume(), reject);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

it('streams an export page by page: a job recorded after the first bytes arrived, older than all, is in it', async () => {
  // Were the whole result read before the first byte went out, this job could not be in it.
  const body = await readExport('/api/v1/jobs/export?format=ndjson&q=kind%3Alog', async () => {
    await pool.query(
      `INSERT INTO "${schema}".jobs (id, kind, status, payload, created_at, updated_at, version)
       VALUES ($1, 'log', 'DONE', '{"n": 0}', '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 1)`,
      [OLDEST_ID],
    );
  });
  const lines = body.trimEnd().split('\n');
  expect(lines).toHaveLength(JOBS + 1);
  expect((JSON.parse(lines[0]!) as { payload: { n: number } }).payload.n).toBe(JOBS);
  expect((JSON.parse(lines.at(-1)!) as { id: string }).id).toBe(OLDEST_ID);
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { parseJobQuery } from '../../src-shared/job-query';
import { matchesJobQuery } from '../../src-shared/job-query-match';
import { migrate } from '../../src-main/database/migrations';
import { JobHistory } from '../../src-main/history/job-history';
import { JobService } from '../../src-main/jobs/job-service';
import { jobQuerySql } from '../../src-main/search/job-query-sql';
import { UNUSED, apiForTests, call, expectProblem } from '../support/api-app';
import { dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';
import { namesFor } from '../../src-shared/topology';

const namespace = uniqueNamespace('jdsearch');
const schema = namesFor(namespace).schema;
let pool: pg.Pool;
let history: JobHistory;

/** Job n's ID starts with the digit n: `id:3` is job 3 alone. */
const idOf = (n: number) => `${n}0000000-0000-4000-8000-000000000000`;
const BATCH_ID = 'bbbbbbbb-0000-4000-8000-000000000000';

interface Seed {
  kind: string;
  status: Job['status'];
  created: string;
  updated: string;
  payload: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: string;
}

const SEEDS: Seed[] = [
  { kind: 'callback', status: 'FAILED', created: '2026-12-04T01:00:00Z', updated: '2026-12-04T01:05:00Z', payload: { url: 'http://a.example/hook', duration_ms: 100 }, error: 'connect ECONNREFUSED 127.0.0.1:9' },
  { kind: 'callback', status: 'FAILED', created: '2026-12-04T02:30:00Z', updated: '2026-12-04T02:40:00Z', payload: { url: 'http://b.example/hook', duration_ms: 200 }, error: 'ECONNREFUSED' },
  { kind: 'callback', status: 'DONE', created: '2026-12-04T03:00:00Z', updated: '2026-12-04T03:10:00Z', payload: { url: 'http://c.example/hook', duration_ms: 100 }, result: { body: 'accepted-by-target' } },
  { kind: 'email', status: 'DONE', created: '2026-12-03T10:00:00Z', updated: '2026-12-03T10:01:00Z', payload: { to: 'ada@example.com', subject: 'Hello Ada Lovelace' }, result: { message_id: '<1@x>' } },
  { kind: 'email', status: 'RETRYING', created: '2026-12-04T04:00:00Z', updated: '2026-12-04T04:01:00Z', payload: { to: 'bob@other.org', subject: '100% sure_thing' }, error: 'SMTP 421 try again' },
  { kind: 'log', status: 'IN PROGRESS', created: '2026-12-04T05:00:00Z', updated: '2026-12-04T05:00:01Z', payload: { client_time: '2026-12-04T05:00:00Z' } },
  { kind: 'my-kind', status: 'QUEUED', created: '2026-12-04T06:00:00Z', updated: '2026-12-04T06:00:00Z', payload: { nested: { deep: 'value' }, flag: true } },
];

function seedJob(seed: Seed, index: number): Job {
  return {
    id: idOf(index + 1),
    kind: seed.kind,
    status: seed.status,
    payload: seed.payload,
    progress: 0,
    attempts: 1,
    created_at: seed.created,
    updated_at: seed.updated,
    transitions: [],
    result: seed.result ?? null,
    error: seed.error ?? null,
    max_attempts: 3,
    next_attempt_at: null,
    attempt_errors: [],
    version: 1,
  } as unknown as Job;
}

beforeAll(async () => {
  pool = new pg.Pool(testDatabaseConfig());
  await migrate(pool, schema);
  history = new JobHistory(pool, schema);
  await history.record(SEEDS.map(seedJob));
  await pool.query(`INSERT INTO "${schema}".batches (id, job_ids, secret) VALUES ($1, $2, 's')`, [BATCH_ID, [idOf(1), idOf(3)]]);
});
afterAll(async () => {
  await pool.end();
  await dropNamespace(namespace);
});

const app = apiForTests({
  jobs: new Proxy({} as JobService, { get: (_target, key) => Reflect.get(new JobService({ status: UNUSED, publisher: UNUSED, history, defaults: UNUSED }), key as string) }),
});

interface JobPage {
  items: Job[];
  next_cursor: string | null;
}

async function search(q: string, extra = ''): Promise<JobPage> {
  const response = await call(app(), 'GET', `/api/v1/jobs?q=${encodeURIComponent(q)}${extra}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<JobPage>();
}

/** The seed numbers (1-based) a query finds, newest first. */
async function found(q: string): Promise<number[]> {
  const page = await search(q, '&limit=500');
  return page.items.map((job) => Number(job.id[0]));
}

describe('GET /api/v1/jobs?q=', () => {
  it.each([
    ['kind:callback', [3, 2, 1]],
    ['kind:B', [3, 2, 1]],
    ['kind:my-kind', [7]],
    ['status:FAILED,RETRYING', [5, 2, 1]],
    ['status:"IN PROGRESS"', [6]],
    ['error:econnrefused', [2, 1]],
    ['error:"try again"', [5]],
    ['kind:email OR kind:log', [6, 5, 4]],
    ['-status:DONE kind:callback', [2, 1]],
    ['id:3', [3]],
    ['id:1,2', [2, 1]],
    ['batch:bbbb', [3, 1]],
    ['lovelace', [4]],
    ['"Ada Lovelace"', [4]],
    ['accepted-by', [3]],
    ['econnrefused', [2, 1]],
    ['-econnrefused kind:callback', [3]],
    ['100%', [5]],
    ['sure_thing', [5]],
    ['payload.to:*@example.com', [4]],
    ['payload.to:ada@example.com', [4]],
    ['payload.url:*B.EXAMPLE*', [2]],
    ['payload.url:HTTP://B.EXAMPLE/*', [2]],
    ['payload.url:http://bxexample*', []],
    ['payload.subject:*sure_thing', [5]],
    ['payload.duration_ms:100', [3, 1]],
    ['payload.nested.deep:value', [7]],
    ['payload.flag:true', [7]],
    ['created:>2026-12-04T02:00Z', [7, 6, 5, 3, 2]],
    ['created:2026-12-03', [4]],
    ['created:<2026-12-04', [4]],
    ['created:>=2026-12-04T03:00:00Z created:<=2026-12-04T04:00:00Z', [5, 3]],
    ['updated:<2026-12-04T02:00Z', [1, 4]],
    ['finished:>=2026-12-04T02:00Z', [3, 2]],
    ['', [7, 6, 5, 3, 2, 1, 4]],
  ])('%s', async (q, expected) => {
    expect(await found(q)).toEqual(expected);
    // The console's own matching of the jobs it holds agrees (it cannot know batches).
    if (q.startsWith('batch:')) return;
    const every = (await search('', '&limit=500')).items;
    expect(every.filter((job) => matchesJobQuery(job, parseJobQuery(q))).map((job) => Number(job.id[0]))).toEqual(expected);
  });

  it('ANDs q with the status and kind parameters', async () => {
    const page = await search('example', '&status=DONE&kind=email');
    expect(page.items.map((job) => job.id)).toEqual([idOf(4)]);
  });

  it('pages a search newest first with the same cursor as the list', async () => {
    const first = await search('kind:callback,email', '&limit=2');
    expect(first.items.map((job) => job.id)).toEqual([idOf(5), idOf(3)]);
    const second = await search('kind:callback,email', `&limit=2&cursor=${first.next_cursor!}`);
    expect(second.items.map((job) => job.id)).toEqual([idOf(2), idOf(1)]);
    const last = await search('kind:callback,email', `&limit=2&cursor=${second.next_cursor!}`);
    expect(last).toEqual({ items: [expect.objectContaining({ id: idOf(4) })], next_cursor: null });
  });

  it('answers a query that does not parse with a 400 naming q, the column and what was expected', async () => {
    const body = expectProblem(await call(app(), 'GET', '/api/v1/jobs?q=status%3A'), 400);
    expect(body.errors).toEqual([{ field: 'q', rule: 'syntax', message: 'q: column 8: expected a value after "status:"' }]);
    const unknown = expectProblem(await call(app(), 'GET', `/api/v1/jobs?q=${encodeURIComponent('kind:log colour:red')}`), 400);
    expect(unknown.errors![0]!.message).toMatch(/^q: column 10: expected a field/);
    // PostgreSQL refuses a NUL in text, jsonb and jsonpath: each place it could reach is a 400 too.
    for (const query of ['a\u0000b', 'error:"x\u0000"', 'payload.note:*\u0000*']) {
      const nul = expectProblem(await call(app(), 'GET', `/api/v1/jobs?q=${encodeURIComponent(query)}`), 400);
      expect(nul.errors).toEqual([expect.objectContaining({ field: 'q', rule: 'syntax', message: expect.stringMatching(/NUL/) })]);
    }
  });
});

describe('GET /api/v1/jobs/export', () => {
  it('exports what a query matches as NDJSON, one job a line, as an attachment', async () => {
    const response = await call(app(), 'GET', `/api/v1/jobs/export?q=${encodeURIComponent('kind:callback')}&format=ndjson`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="jobs-[0-9T-]+Z\.ndjson"$/);
    const jobs = response.body.trimEnd().split('\n').map((line) => JSON.parse(line) as Job);
    expect(jobs.map((job) => job.id)).toEqual([idOf(3), idOf(2), idOf(1)]);
    expect(jobs[1]).toMatchObject({ status: 'FAILED', error: 'ECONNREFUSED', payload: { url: 'http://b.example/hook' } });
  });

  it('exports CSV with a header row, quoting what needs it', async () => {
    const response = await call(app(), 'GET', `/api/v1/jobs/export?q=${encodeURIComponent('kind:email')}&format=csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/filename="jobs-.*\.csv"$/);
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('id,kind,status,progress,attempts,max_attempts,created_at,updated_at,error,payload,result');
    expect(lines[1]).toBe(
      `${idOf(5)},email,RETRYING,0,1,3,2026-12-04T04:00:00.000Z,2026-12-04T04:01:00.000Z,SMTP 421 try again,` +
        '"{""to"":""bob@other.org"",""subject"":""100% sure_thing""}",',
    );
    expect(lines).toHaveLength(4);
  });

  it('refuses an unknown format and a query that does not parse', async () => {
    expect(expectProblem(await call(app(), 'GET', '/api/v1/jobs/export?format=xml'), 400).errors).toEqual([
      expect.objectContaining({ field: 'format', rule: 'enum' }),
    ]);
    expect(expectProblem(await call(app(), 'GET', '/api/v1/jobs/export?q=-'), 400).errors).toEqual([
      { field: 'q', rule: 'syntax', message: 'q: column 2: expected a term after "-"' },
    ]);
  });
});

/** The index names in a plan. */
function indexesIn(plan: unknown): string[] {
  const names: string[] = [];
  const visit = (node: Record<string, unknown>) => {
    if (typeof node['Index Name'] === 'string') names.push(node['Index Name']);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) visit(child);
  };
  visit(plan as Record<string, unknown>);
  return names;
}

describe('the search indexes', () => {
  it.each([
    ['error:econnrefused', 'jobs_error_trgm'],
    ['lovelace', 'jobs_payload_trgm'],
    ['lovelace', 'jobs_result_trgm'],
    ['payload.to:ada@example.com', 'jobs_payload_paths'],
    ['payload.to:*@example.com', 'jobs_payload_trgm'],
    ['id:3', 'jobs_pkey'],
    ['status:FAILED', 'jobs_status_newest'],
    ['kind:callback', 'jobs_kind_newest'],
    ['created:>2026-12-04T02:00Z', 'jobs_newest'],
    ['updated:<2026-12-04T02:00Z', 'jobs_updated'],
  ])('%s uses %s', async (q, index) => {
    const client = await pool.connect();
    try {
      // Seven rows: without this the planner rightly reads the table instead. No ORDER BY: for
      // a page, walking jobs_newest until it is full is the planner's call on the real counts (the
      // bench measures that); here the question is whether the condition can use its index.
      await client.query('SET enable_seqscan = off');
      const params: unknown[] = [];
      const where = jobQuerySql(parseJobQuery(q), { schema, params });
      const sql = `EXPLAIN (FORMAT JSON) SELECT * FROM "${schema}".jobs WHERE ${where}`;
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: unknown }] }>(sql, params);
      expect(indexesIn(rows[0]!['QUERY PLAN'][0].Plan)).toContain(index);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });

  it('are made again without harm when the console starts again', async () => {
    await migrate(pool, schema);
    const { rows } = await pool.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2', [schema, 'jobs']);
    expect(rows.map((row) => row.indexname)).toEqual(
      expect.arrayContaining(['jobs_error_trgm', 'jobs_payload_trgm', 'jobs_result_trgm', 'jobs_payload_paths', 'jobs_updated']),
    );
  });
});

describe('without pg_trgm in reach', () => {
  it('starts with a warning, makes no trigram index, and still searches text', async () => {
    const other = namesFor(uniqueNamespace('jdsearch')).schema;
    // An empty search path hides pg_trgm (installed in public) as a database without it would.
    const hidden = new pg.Pool({ ...testDatabaseConfig(), options: '-c search_path=' });
    const lines: string[] = [];
    try {
      await migrate(hidden, other, (line) => lines.push(line));
      expect(lines).toEqual([expect.stringMatching(/^database: pg_trgm is .*text searches will scan the history without an index$/)]);
      const { rows } = await hidden.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [other]);
      expect(rows.map((row) => row.indexname)).not.toContain('jobs_error_trgm');
      const fallback = new JobHistory(hidden, other);
      await fallback.record([seedJob(SEEDS[1]!, 1)]);
      const page = await fallback.list({ search: parseJobQuery('error:econnrefused'), limit: 10 });
      expect(page.items.map((job) => job.id)).toEqual([idOf(2)]);
    } finally {
      await hidden.query(`DROP SCHEMA IF EXISTS "${other}" CASCADE`);
      await hidden.end();
    }
  });
});

/**
 * Search over the history: fills a throwaway namespace's jobs table with `jobs` rows made in
 * PostgreSQL (INSERT … SELECT generate_series), builds the indexes as a console's first start
 * after an upgrade would, then times selective queries and the first page of broad ones through
 * the same parser, compiler and keyset page as `GET /api/v1/jobs?q=`.
 */
import pg from 'pg';
import { parseJobQuery } from '../../../src-shared/job-query';
import { namesFor } from '../../../src-shared/topology';
import { migrate } from '../../../src-main/database/migrations';
import { JobHistory } from '../../../src-main/history/job-history';
import { dropNamespace, testDatabaseConfig, uniqueNamespace } from '../../support/namespace';
import { percentile, round } from '../stats';

/** Rows in the history: `JOBDECK_BENCH_SEARCH_JOBS` when set, else the profile's. */
export function searchJobs(profileJobs: number): number {
  const set = Number(process.env.JOBDECK_BENCH_SEARCH_JOBS);
  return Number.isInteger(set) && set > 0 ? set : profileJobs;
}
const RUNS = 30;
const PAGE = 50;
/** Kept (not dropped at the end) when set, to look at plans: `JOBDECK_BENCH_SEARCH_KEEP=1`. */
const KEEP = process.env.JOBDECK_BENCH_SEARCH_KEEP === '1';
const SEARCH_INDEXES = ['jobs_error_trgm', 'jobs_payload_trgm', 'jobs_result_trgm', 'jobs_payload_paths', 'jobs_updated'];

/** The operator's morning: few matches among many jobs. */
const SELECTIVE = (since: string) => [
  `kind:callback error:ECONNREFUSED created:>${since}`,
  'payload.to:user4248@example.com',
  'ECONNREFUSED -status:DONE',
  'payload.to:*@rare.example',
  'id:4242abcd',
];
/** Many matches: the first page is what is timed. */
const BROAD = ['status:DONE', 'kind:log OR kind:email', 'payload.to:*@example.com', 'created:>2020-01-01', '-status:FAILED ok'];

export interface SearchFigure {
  jobs: number;
  fill_s: number;
  index_build_s: number;
  queries: Record<string, { matched_first_page: number; p50_ms: number; p95_ms: number }>;
  selective_p95_ms: number;
  broad_page_p95_ms: number;
}

/**
 * One job a second, the newest now. Kinds log/callback/email 5:3:2; 5 % FAILED, a tenth of those
 * with ECONNREFUSED; one email in 10,000 to the rare domain.
 */
function fillSql(table: string): string {
  return `INSERT INTO ${table} (id, kind, status, payload, created_at, updated_at, result, error, attempts, version)
    SELECT gen_random_uuid(), k.kind, s.status,
      CASE k.kind
        WHEN 'log' THEN jsonb_build_object('client_time', g)
        WHEN 'callback' THEN jsonb_build_object('url', 'https://hooks.example.net/' || g, 'duration_ms', g % 1000)
        ELSE jsonb_build_object('to', CASE WHEN g % 10000 = 9 THEN 'ops' || g || '@rare.example' ELSE 'user' || (g % 100000) || '@example.com' END,
          'subject', 'Invoice ' || g)
      END,
      now() - ($1 - g) * interval '1 second', now() - ($1 - g) * interval '1 second' + interval '2 seconds',
      CASE WHEN s.status = 'DONE' THEN jsonb_build_object('ok', true, 'n', g) END,
      CASE WHEN s.status = 'FAILED' THEN CASE WHEN (g / 20) % 10 = 0 THEN 'connect ECONNREFUSED 10.0.' || (g % 250) || '.1:443' ELSE 'timeout after 30000 ms' END END,
      1, 1
    FROM generate_series(1, $1) AS g,
      LATERAL (SELECT CASE WHEN g % 10 < 5 THEN 'log' WHEN g % 10 < 8 THEN 'callback' ELSE 'email' END AS kind) AS k,
      LATERAL (SELECT CASE WHEN g % 20 = 5 THEN 'FAILED' WHEN g % 50 = 11 THEN 'RETRYING' ELSE 'DONE' END AS status) AS s`;
}

async function timed(history: JobHistory, q: string): Promise<{ matched_first_page: number; p50_ms: number; p95_ms: number }> {
  const search = parseJobQuery(q);
  const samples: number[] = [];
  let matched = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    matched = (await history.list({ search, limit: PAGE })).items.length;
    samples.push(performance.now() - started);
  }
  return { matched_first_page: matched, p50_ms: round(percentile(samples, 50)), p95_ms: round(percentile(samples, 95)) };
}

export async function searchBench(jobs: number): Promise<SearchFigure> {
  const namespace = uniqueNamespace('jdbsearch');
  const schema = namesFor(namespace).schema;
  // The index build of a large history takes longer than the console's 5 s query timeout.
  const pool = new pg.Pool({ ...testDatabaseConfig(), max: 2 });
  try {
    await migrate(pool, schema);
    for (const index of SEARCH_INDEXES) await pool.query(`DROP INDEX "${schema}".${index}`);
    let started = performance.now();
    await pool.query(fillSql(`"${schema}".jobs`), [jobs]);
    const fill = (performance.now() - started) / 1000;
    started = performance.now();
    await migrate(pool, schema);
    await pool.query(`ANALYZE "${schema}".jobs`);
    const indexBuild = (performance.now() - started) / 1000;
    const history = new JobHistory(pool, schema);
    const since = new Date(Date.now() - 6 * 3_600_000).toISOString();
    const queries: SearchFigure['queries'] = {};
    for (const q of [...SELECTIVE(since), ...BROAD]) queries[q] = await timed(history, q);
    const worst = (list: string[]) => Math.max(...list.map((q) => queries[q]!.p95_ms));
    return {
      jobs,
      fill_s: round(fill),
      index_build_s: round(indexBuild),
      queries,
      selective_p95_ms: worst(SELECTIVE(since)),
      broad_page_p95_ms: worst(BROAD),
    };
  } finally {
    await pool.end();
    if (KEEP) console.log(`[bench] search: kept schema ${schema}`);
    else await dropNamespace(namespace);
  }
}

import type pg from 'pg';
import type { Job } from '../../src-shared/job';
import type { JobLogLine } from '../../src-shared/job-log';
import { compareEntryIds, type JobLogEntry, type JobLogStore } from '../../src-shared/node/job-log-store';
import { TERMINAL_STATUSES } from '../../src-shared/statuses';
import { UUID_PATTERN } from '../../src-shared/wire';

/** Jobs whose logs one statement copies. */
const JOBS_PER_COPY = 50;

interface LogRow {
  entry_id: string;
  attempt: number;
  at: Date;
  line: string;
}

/**
 * Jobs' log lines: in Redis while the job's status is there (see JobLogStore), and in the
 * history once the job ended, so they are read after Redis expired them. Each line keeps its
 * Redis stream ID, which orders a job's lines and makes a copy made twice (an operator's retry
 * ends the job again) keep each line once.
 */
export class JobLogs {
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
    private readonly live: JobLogStore,
  ) {
    this.table = `"${schema}".job_logs`;
  }

  /**
   * Copies the log lines of the jobs that ended into the history (their rows must be recorded
   * already). The workers send a job's last lines before its final status, so they are here.
   */
  async keepEnded(jobs: readonly Job[]): Promise<void> {
    const ended = [...new Set(jobs.filter((job) => TERMINAL_STATUSES.has(job.status)).map((job) => job.id))];
    // A few jobs at a time: each log may hold up to its bound (256 KB).
    for (let start = 0; start < ended.length; start += JOBS_PER_COPY) await this.copy(ended.slice(start, start + JOBS_PER_COPY));
  }

  private async copy(ids: readonly string[]): Promise<void> {
    const logs = await Promise.all(ids.map(async (id) => ({ id, entries: await this.live.read(id) })));
    const rows = logs.flatMap(({ id, entries }) => entries.map((entry) => ({ job_id: id, ...entry, entry_id: entry.id })));
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO ${this.table} (job_id, entry_id, attempt, at, line)
       SELECT job_id, entry_id, attempt, at, line
       FROM jsonb_to_recordset($1::jsonb) AS r(job_id uuid, entry_id text, attempt integer, at timestamptz, line text)
       ON CONFLICT (job_id, entry_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * A job's lines, oldest first: those Redis holds and those the history kept, each once. Either
   * source may be away (Redis down or expired, the job not ended yet): the other answers.
   */
  async read(jobId: string): Promise<JobLogLine[]> {
    const [live, kept] = await Promise.all([this.live.read(jobId).catch(() => []), this.readKept(jobId)]);
    const byId = new Map<string, JobLogEntry>();
    for (const entry of [...kept, ...live]) byId.set(entry.id, entry);
    return [...byId.values()].sort((a, b) => compareEntryIds(a.id, b.id)).map(({ at, attempt, line }) => ({ at, attempt, line }));
  }

  private async readKept(jobId: string): Promise<JobLogEntry[]> {
    if (!UUID_PATTERN.test(jobId)) return [];
    const { rows } = await this.pool.query<LogRow>(`SELECT entry_id, attempt, at, line FROM ${this.table} WHERE job_id = $1`, [jobId]);
    return rows.map((row) => ({ id: row.entry_id, attempt: row.attempt, at: row.at.toISOString(), line: row.line }));
  }
}

import type pg from 'pg';
import type { ResolvedPayloads } from '../../src-shared/schemas';
import { UnavailableError, type JobContext, type JobHandler } from './handler';
import { isPostgresUnreachable } from './unreachable';
import { LogRecordBatcher } from './log-record-batcher';
import { withEffectTag } from '../../src-shared/job-timing';

/**
 * Kind A: writes the job's log record to PostgreSQL. The row is unique by job ID, so a
 * redelivered job finds its record instead of writing a second one. Records of jobs that run
 * together are committed together (see {@link LogRecordBatcher}). PostgreSQL unreachable is an
 * outage ({@link UnavailableError}), not the job's failure; its data refused is the job's.
 */
export class LogHandler implements JobHandler {
  private readonly table: string;
  private readonly records: LogRecordBatcher;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `"${schema}".log_records`;
    this.records = new LogRecordBatcher(pool, this.table);
  }

  async probe(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async run({ job, signal, log }: JobContext): Promise<Record<string, unknown>> {
    const { client_time } = job.extra_data as ResolvedPayloads['log'];
    const table = this.table.replaceAll('"', '');
    log(`connected to PostgreSQL; writing the record of client_time ${client_time} to ${table}`);
    const started = Date.now();
    // A worker that lost the job stops waiting; a record already on its way is harmless, as the
    // next delivery finds it instead of writing a second one.
    const record = await untilAborted(this.records.write(job.uuid, client_time), signal).catch((error: Error) => {
      if (signal.aborted || !isPostgresUnreachable(error)) throw error;
      throw new UnavailableError(`PostgreSQL unreachable: ${error.message}`, 'PostgreSQL');
    });
    const ms = Date.now() - started;
    log(withEffectTag(record.inserted ? `inserted row ${job.uuid} into ${table} in ${ms} ms` : `row ${job.uuid} was in ${table} already (an earlier attempt wrote it)`, ms));
    return {
      table,
      job_id: job.uuid,
      client_time,
      received_at: record.received_at.toISOString(),
      inserted: record.inserted,
    };
  }
}

/** `work`, or a rejection as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('worker stopping: record not written'));
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(new Error('worker stopping: record not awaited'));
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

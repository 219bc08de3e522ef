import type { Job } from '../../src-shared/job';
import type { JobSeed, JobStatusClient, WriteReply } from '../../src-shared/node/status-store';
import { shownPayload } from '../../src-shared/builtin-kinds';
import { TERMINAL_STATUSES } from '../../src-shared/statuses';
import type { JobMessage } from '../../src-shared/wire';
import type { JobPublisher } from '../broker/job-publisher';
import type { ScheduledJobs, ScheduledRow } from './scheduled-jobs';

/**
 * SCHEDULED jobs: recorded with their wait (Redis status and a PostgreSQL row, see
 * {@link ScheduledJobs.add}), and promoted when due or run now: QUEUED in Redis, then their message
 * published confirmed, then their row deleted — in that order, so a failure at any step leaves the
 * row for the next claim. A job found QUEUED already (a promoter died after its Redis write, or
 * its publish failed) is published again: the worker's attempt check makes a second copy stale.
 * A row keeps no signing secret: it is taken from the Redis job at promotion (unsigned if Redis
 * lost it). A row whose job Redis lacks is dropped unpromoted when the history has the job ended.
 */
export class DelayedJobs {
  constructor(
    private readonly status: JobStatusClient,
    private readonly publisher: JobPublisher,
    readonly store: ScheduledJobs,
  ) {}

  /** Records a new job SCHEDULED until `message.run_at`: its Redis status and its row, both or neither. */
  async schedule(message: JobMessage & { run_at: string }, seed: JobSeed, secret: string | undefined): Promise<WriteReply> {
    try {
      return await this.store.add(withoutSecret(message), message.run_at, () => this.status.create(seed, secret, 'SCHEDULED'));
    } catch (error) {
      // The commit failed after the status was written, or the write timed out and may land
      // still: end it CANCELLED, as an unconfirmed job is (a job Redis never got stays missing).
      await this.status.withdraw(seed.id, `not accepted: ${(error as Error).message}`).catch(() => undefined);
      throw error;
    }
  }

  /** Promotes every job due now that no other console holds; answers how many. */
  promoteDue(): Promise<number> {
    return this.store.claimDue((rows) => this.promoteRows(rows));
  }

  /** An operator's run-now: the job QUEUED and published at once; null when it has no wait (not SCHEDULED). */
  async runNow(id: string): Promise<Job | null> {
    let moved: Job | null = null;
    await this.store.claimOne(id, async (rows) => {
      const row = rows[0]!;
      const reply = await this.status.promote(seedOf(row));
      if (reply.outcome !== 'ok') return reply.outcome === 'conflict' && reply.job?.status !== 'QUEUED' ? [row.job_id] : [];
      // Refused by the broker: SCHEDULED again (its row stays), so the answer's error is the whole story.
      await this.publisher.publish(await this.messageOf(row)).catch(async (error: unknown) => {
        await this.status.undoRetry(id, 'SCHEDULED').catch(() => undefined);
        throw error;
      });
      moved = reply.job;
      return [row.job_id];
    });
    return moved;
  }

  /**
   * An operator's cancel of a SCHEDULED job: its row is claimed (waiting for a promoter that
   * holds it), `cancel` runs (the Redis write), then the row is deleted and committed. Should
   * PostgreSQL or `cancel` fail, the job keeps its status and its wait, and the error is thrown.
   */
  async cancel(id: string, cancel: () => Promise<Job>): Promise<Job> {
    let cancelled: Job | null = null;
    await this.store.claimOne(id, async (rows) => {
      cancelled = await cancel();
      return rows.map((row) => row.job_id);
    });
    // No row (promoted meanwhile, or never had one): the job is cancelled where it is.
    return cancelled ?? (await cancel());
  }

  /** Promotes claimed rows in parallel; answers the IDs done (promoted, or no longer waiting). */
  private async promoteRows(rows: ScheduledRow[]): Promise<string[]> {
    const settled = await Promise.allSettled(rows.map((row) => this.promoteRow(row)));
    const done = rows.filter((_, i) => settled[i]!.status === 'fulfilled').map((row) => row.job_id);
    const failed = settled.find((s) => s.status === 'rejected');
    // The done ones are deleted and committed; the others wait for the next claim.
    if (failed && done.length === 0) throw failed.reason;
    return done;
  }

  private async promoteRow(row: ScheduledRow): Promise<void> {
    // Redis lost the job (TTL after a cancel whose row survived, a restart): the history says whether it ended.
    if (!(await this.status.read(row.job_id)) && TERMINAL_STATUSES.has((await this.store.historyStatus(row.job_id)) ?? 'SCHEDULED')) return;
    const reply = await this.status.promote(seedOf(row));
    const requeue = reply.outcome === 'ok' || (reply.outcome === 'conflict' && reply.job?.status === 'QUEUED');
    if (requeue) await this.publisher.publish(await this.messageOf(row));
  }

  /** The row's message with the job's signing secret, which Redis keeps aside while it holds the job. */
  private async messageOf(row: ScheduledRow): Promise<JobMessage> {
    const secret = await this.status.callbackSecret(row.job_id);
    return secret ? { ...row.message, extra_data: { ...row.message.extra_data, secret } as JobMessage['extra_data'] } : row.message;
  }
}

/** A message as its row keeps it: without a kind B job's signing secret. */
function withoutSecret(message: JobMessage): JobMessage {
  return { ...message, extra_data: shownPayload(message.kind, message.extra_data) };
}

/** The job as its message knows it, for a Redis that lost it: SCHEDULED since its submit. */
function seedOf(row: ScheduledRow): JobSeed {
  const m = row.message;
  const transitions = [{ status: 'SCHEDULED' as const, at: m.created_at, worker: 'api' }];
  const origin = { replay_of: m.replay_of ?? null, schedule_id: m.schedule_id ?? null, run_at: m.run_at ?? null };
  return { id: m.uuid, kind: m.kind, type: m.type, payload: shownPayload(m.kind, m.extra_data), created_at: m.created_at, max_attempts: m.max_attempts, transitions, ...origin };
}

import { randomUUID } from 'node:crypto';
import type { Page } from '../../src-shared/job';
import {
  OPERATION_SAMPLE_SIZE,
  driftMargin,
  type CreateOperation,
  type Operation,
  type JobAction,
  type OperationPreview,
} from '../../src-shared/operation-schemas';
import { CANCELLABLE_STATUSES, RETRYABLE_STATUSES, type JobStatus } from '../../src-shared/statuses';
import { searchOf } from '../search/search-input';
import type { OperationRunner } from './operation-runner';
import type { OperationStore, OperationTarget } from './operation-store';

/** The statuses each action's single-job verb accepts (JobService.retry / cancel check the same lists). */
const ALLOWED: Readonly<Record<JobAction, readonly JobStatus[]>> = {
  retry: RETRYABLE_STATUSES,
  cancel: CANCELLABLE_STATUSES,
};

/** An operation that is not running cannot be cancelled. */
export class OperationNotRunningError extends Error {
  override name = 'OperationNotRunningError';
}

/** `POST /api/v1/operations` and its reads: dry runs, starts, cancels. The runner does the work. */
export class OperationService {
  constructor(
    private readonly store: OperationStore,
    private readonly runner: OperationRunner,
  ) {}

  /** What the action would do, changing nothing. */
  async preview(body: CreateOperation): Promise<OperationPreview> {
    const target = targetOf(body);
    const [counts, sample] = await Promise.all([this.store.countByStatus(target), this.store.sample(target, OPERATION_SAMPLE_SIZE)]);
    const allowed = ALLOWED[body.action];
    const wouldSkip: Record<string, number> = {};
    let known = 0;
    let wouldChange = 0;
    for (const [status, n] of counts) {
      known += n;
      if (allowed.includes(status)) wouldChange += n;
      else wouldSkip[`status ${status}`] = n;
    }
    const matched = 'ids' in target ? new Set(target.ids).size : known;
    if (matched > known) wouldSkip['unknown job'] = matched - known;
    return {
      action: body.action,
      matched,
      would_change: wouldChange,
      would_skip: wouldSkip,
      sample: sample.map((job) => ({ ...job, skip: allowed.includes(job.status) ? null : `status ${job.status}` })),
      margin: driftMargin(body.expected ?? matched),
    };
  }

  /** Snapshots the jobs and hands the operation to the runner; an OperationDriftError when the count moved. */
  async start(body: CreateOperation): Promise<Operation> {
    const id = randomUUID();
    const check = body.expected === undefined ? undefined : { expected: body.expected, margin: driftMargin(body.expected) };
    await this.store.create(id, body.action, targetOf(body), check);
    this.runner.wake();
    return (await this.store.get(id))!;
  }

  get(id: string): Promise<Operation | null> {
    return this.store.get(id);
  }

  list(limit: number, cursor?: string): Promise<Page<Operation>> {
    return this.store.list(limit, cursor);
  }

  /** Deletes finished operations older than the retention (the job history's). */
  prune(retentionDays: number): Promise<number> {
    return this.store.prune(retentionDays);
  }

  /** Asks the runner to stop after its current batch; null for an unknown operation. */
  async cancel(id: string): Promise<Operation | null> {
    const asked = await this.store.requestCancel(id);
    const operation = await this.store.get(id);
    if (operation && !asked) throw new OperationNotRunningError(`operation ${id} is ${operation.status}; only a running operation can be cancelled`);
    this.runner.wake();
    return operation;
  }
}

function targetOf(body: CreateOperation): OperationTarget {
  if (body.ids) return { ids: body.ids };
  const text = body.query ?? '';
  return { query: searchOf(text, 'query')!, text };
}

import { randomUUID } from 'node:crypto';
import {
  type DeadLetter,
  type DeadLetterAction,
  type DeadLetterActionBody,
  type DeadLetterPreview,
  type ListDeadLettersQuery,
} from '../../src-shared/dead-letter-schemas';
import type { Page } from '../../src-shared/job';
import type { KindRegistry } from '../../src-shared/kind-registry';
import { OPERATION_SAMPLE_SIZE, driftMargin, type Operation } from '../../src-shared/operation-schemas';
import type { JobService } from '../jobs/job-service';
import { UnknownJobError } from '../jobs/job-service';
import { ItemSkippedError } from '../operations/operation-runner';
import type { OperationRunner } from '../operations/operation-runner';
import type { OperationStore } from '../operations/operation-store';
import { deadLetterSearchOf } from './dead-letter-query';
import type { DeadLetterRef, DeadLetterStore, DeadLetterTarget } from './dead-letter-store';

export interface DeadLetterServiceOptions {
  store: DeadLetterStore;
  jobs: Pick<JobService, 'get' | 'retry'>;
  kinds: KindRegistry;
  operations: OperationStore;
  runner: Pick<OperationRunner, 'wake'>;
}

/**
 * The dead letters the drain keeps: listed and searched, and requeued or discarded through bulk
 * operations (their items are dead letters). A requeue is an operator's retry of the job
 * (JobService.retry: a fresh attempt budget, a new message) and drops the dead letter; it skips
 * a message that is not a job (nothing to retry: discard it) and a job no longer FAILED or
 * retried since it died (an older dead letter of it), both left listed. A discard drops it.
 */
export class DeadLetterService {
  constructor(private readonly options: DeadLetterServiceOptions) {}

  list(query: ListDeadLettersQuery): Promise<Page<DeadLetter>> {
    const kind = query.kind === undefined ? undefined : (this.options.kinds.resolve(query.kind) ?? query.kind);
    return this.options.store.list({ kind, query: deadLetterSearchOf(query.q), limit: query.limit, cursor: query.cursor });
  }

  /** What the action would do, changing nothing. */
  async preview(action: DeadLetterAction, body: DeadLetterActionBody): Promise<DeadLetterPreview> {
    const target = targetOf(body);
    const { store } = this.options;
    const [counts, sample] = await Promise.all([store.countByJob(target), store.refs(target, OPERATION_SAMPLE_SIZE)]);
    const wouldSkip: Record<string, number> = {};
    let known = 0;
    let wouldChange = 0;
    for (const [state, n] of counts) {
      known += n;
      const skip = skipOf(action, state);
      if (skip) wouldSkip[skip] = (wouldSkip[skip] ?? 0) + n;
      else wouldChange += n;
    }
    const matched = 'ids' in target ? new Set(target.ids).size : known;
    if (matched > known) wouldSkip['unknown dead letter'] = matched - known;
    return {
      action,
      matched,
      would_change: wouldChange,
      would_skip: wouldSkip,
      sample: sample.map((ref) => ({ id: ref.id, job_id: ref.job_id, kind: ref.kind, skip: skipOf(action, stateOf(ref)) })),
      margin: driftMargin(body.expected ?? matched),
    };
  }

  /** Snapshots the dead letters as an operation's items and wakes the runner; an OperationDriftError when the count moved. */
  async start(action: DeadLetterAction, body: DeadLetterActionBody): Promise<Operation> {
    const id = randomUUID();
    const target = targetOf(body);
    const check = body.expected === undefined ? undefined : { expected: body.expected, margin: driftMargin(body.expected) };
    await this.options.operations.createWith(id, action, body.query ?? null, (client) => this.options.store.snapshot(client, id, target), check);
    this.options.runner.wake();
    return (await this.options.operations.get(id))!;
  }

  /** The operation runner's `requeue` verb: one dead letter's job retried, then the dead letter dropped. */
  async requeue(id: string): Promise<void> {
    const ref = await this.options.store.ref(id);
    if (!ref) throw new ItemSkippedError('gone (requeued or discarded already)');
    if (!ref.job_id) throw new ItemSkippedError('not a job: nothing to retry (discard it)');
    const job = await this.options.jobs.get(ref.job_id);
    if (!job) throw new UnknownJobError(ref.job_id);
    if (job.status !== 'FAILED') throw new ItemSkippedError(`status ${job.status}`);
    if (ref.attempts !== null && job.attempts > ref.attempts) throw new ItemSkippedError('retried since it died (a later dead letter is its own)');
    await this.options.jobs.retry(ref.job_id);
    await this.options.store.delete(id);
  }

  /** The operation runner's `discard` verb. */
  async discard(id: string): Promise<void> {
    if (!(await this.options.store.delete(id))) throw new ItemSkippedError('gone (requeued or discarded already)');
  }
}

/** Where a dead letter stands for a requeue: `none` (not a job), `unknown` (no history row), or its job's status. */
function stateOf(ref: DeadLetterRef): string {
  if (!ref.job_id) return 'none';
  return ref.job_status ?? 'unknown';
}

function skipOf(action: DeadLetterAction, state: string): string | null {
  if (action === 'discard' || state === 'FAILED') return null;
  if (state === 'none') return 'not a job';
  if (state === 'unknown') return 'unknown job';
  return `status ${state}`;
}

function targetOf(body: DeadLetterActionBody): DeadLetterTarget {
  if (body.ids) return { ids: body.ids };
  return { query: deadLetterSearchOf(body.query ?? '', 'query')! };
}

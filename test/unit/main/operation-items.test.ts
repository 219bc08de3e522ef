import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/job';
import { BatchCompletedError } from '../../../src-main/batches/batch-service';
import { BrokerUnavailableError } from '../../../src-main/broker/job-publisher';
import { BackpressureError } from '../../../src-main/jobs/admission';
import { JobStatusConflictError, UnknownJobError } from '../../../src-main/jobs/job-service';
import { CancelRefusedError } from '../../../src-main/jobs/running-cancel';
import { RETRYABLE_STATUSES } from '../../../src-shared/statuses';
import { refusedItem } from '../../../src-main/operations/operation-runner';

const ID = '00000000-0000-4000-8000-000000000001';
const job = (status: Job['status']) => ({ id: ID, status }) as Job;

describe('an item whose verb refused, as the single-job route answers', () => {
  it.each([
    ['a full queue (429) pauses it', new BackpressureError('the callback queue is full', 5), { seq: 1, paused: 'the callback queue is full' }],
    ['the broker down (503) pauses it', new BrokerUnavailableError('RabbitMQ is unreachable'), { seq: 1, paused: 'RabbitMQ is unreachable' }],
    ['Redis down (503) pauses it', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), { seq: 1, paused: 'connect ECONNREFUSED 127.0.0.1:6379' }],
    ['a status conflict (409) skips it', new JobStatusConflictError(job('DONE'), 'retry', RETRYABLE_STATUSES), { seq: 1, state: 'skipped', reason: 'status DONE' }],
    ['a job that finished before its cancel (409) skips it', new CancelRefusedError(job('DONE')), { seq: 1, state: 'skipped', reason: 'status DONE' }],
    ['a child of a completed batch (409) skips it', new BatchCompletedError(ID, ID), { seq: 1, state: 'skipped', reason: 'child of a completed batch' }],
    ['an unknown job (404) fails it', new UnknownJobError(ID), { seq: 1, state: 'failed', reason: 'unknown job' }],
    ['anything else fails it with its message', new Error('payload no longer valid'), { seq: 1, state: 'failed', reason: 'payload no longer valid' }],
  ])('%s', (_, error, expected) => {
    expect(refusedItem(1, error)).toEqual(expected);
  });
});

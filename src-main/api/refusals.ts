import { ValidationError, type Problem } from '../../src-shared/problem';
import { BatchCompletedError } from '../batches/batch-service';
import { InvalidCursorError } from '../history/job-history';
import { BackpressureError } from '../jobs/admission';
import { IDEMPOTENCY_HEADER, IdempotencyInFlightError, IdempotencyMismatchError } from '../jobs/idempotency';
import { UnknownScheduleError } from '../schedules/schedule-service';
import { JobStatusConflictError, RemovedKindError, ReplayOriginError, UnknownJobError } from '../jobs/job-service';
import { CancelRefusedError } from '../jobs/running-cancel';
import { OperationDriftError } from '../operations/operation-store';
import { OperationNotRunningError } from '../operations/operation-service';
import { isOutage, problem } from './problems';

/** A request refused for a known reason: the problem to answer, and when to try again. */
export interface Refusal {
  problem: Problem;
  retryAfterSeconds?: number;
}

const OUTAGE_RETRY_AFTER_S = 5;

/**
 * The answer to a known refusal; undefined for an error
 * that is not one (a bug: answered 500 and logged).
 */
export function refusalFor(error: unknown): Refusal | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof ValidationError) return { problem: problem(400, 'the request is not valid', 'validation', error.errors) };
  if (error instanceof InvalidCursorError) {
    return { problem: problem(400, error.message, 'validation', [{ field: 'cursor', rule: 'format', message: error.message }]) };
  }
  if (error instanceof ReplayOriginError) {
    return { problem: problem(422, error.message, 'replay-origin', [{ field: 'replay_of', rule: error.rule, message: error.message }]) };
  }
  if (error instanceof UnknownScheduleError) return { problem: problem(404, error.message, 'unknown-schedule') };
  if (error instanceof UnknownJobError) return { problem: problem(404, error.message, 'unknown-job') };
  if (error instanceof JobStatusConflictError) return { problem: problem(409, error.message, 'job-status-conflict') };
  if (error instanceof RemovedKindError) return { problem: problem(409, error.message, 'kind-removed') };
  if (error instanceof CancelRefusedError) return { problem: problem(409, error.message, 'cancel-refused') };
  if (error instanceof OperationDriftError) {
    const errors = [{ field: 'expected', rule: 'drift', message: error.message }];
    return { problem: { ...problem(409, error.message, 'operation-drift', errors), matched: error.matched, margin: error.margin } };
  }
  if (error instanceof OperationNotRunningError) return { problem: problem(409, error.message, 'operation-not-running') };
  if (error instanceof BatchCompletedError) return { problem: problem(409, error.message, 'batch-completed') };
  if (error instanceof BackpressureError) {
    return { problem: problem(429, error.message, 'queue-full'), retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof IdempotencyMismatchError || error instanceof IdempotencyInFlightError) {
    const mismatch = error instanceof IdempotencyMismatchError;
    const errors = [{ field: IDEMPOTENCY_HEADER, rule: mismatch ? 'reused' : 'in-flight', message: error.message }];
    return { problem: problem(mismatch ? 422 : 409, error.message, 'idempotency-key', errors), retryAfterSeconds: mismatch ? undefined : 1 };
  }
  if (isOutage(error)) return { problem: problem(503, error.message, 'dependency-unavailable'), retryAfterSeconds: OUTAGE_RETRY_AFTER_S };
  return undefined;
}

import { describe, expect, it } from 'vitest';
import type { Job, Transition } from '../../../src-shared/job';
import { attemptsOf, countedAttemptsOf, durationsOf } from '../../../src-shared/job-attempts';
import { compareAttempts, compareJobs, type CompareRow } from '../../../src-shared/job-compare';

const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const step = (status: Transition['status'], ms: number, worker = 'host/1'): Transition => ({ status, at: at(ms), worker });

function job(over: Partial<Job> = {}): Job {
  return {
    id: '6c1e9d2a-0000-4000-8000-000000000001',
    kind: 'log',
    type: 'A',
    status: 'DONE',
    payload: { client_time: '2026-01-01T00:00:00.000Z' },
    progress: 100,
    attempts: 1,
    max_attempts: 5,
    next_attempt_at: null,
    attempt_errors: [],
    created_at: at(0),
    updated_at: at(1_000),
    transitions: [step('QUEUED', 0, 'api'), step('STARTED', 200), step('IN PROGRESS', 250), step('DONE', 1_000)],
    result: { record_id: 1 },
    error: null,
    replay_of: null,
    schedule_id: null,
    run_at: null,
    version: 5,
    ...over,
  };
}

/** A job failed once on host/1, then done on host/2 (after a retry wait). */
const retried = job({
  attempts: 2,
  attempt_errors: [{ attempt: 1, at: at(500), error: 'ECONNREFUSED' }],
  transitions: [step('QUEUED', 0, 'api'), step('STARTED', 100), step('RETRYING', 500), step('STARTED', 2_500, 'host/2'), step('DONE', 2_700, 'host/2')],
  result: { status: 200 },
});

const row = (rows: CompareRow[] | null, field: string): CompareRow | undefined => rows?.find((r) => r.field === field);

describe('attemptsOf', () => {
  it('reads each attempt from the transitions: worker, start, end, outcome, duration, its error and the result', () => {
    expect(attemptsOf(retried)).toEqual([
      { number: 1, worker: 'host/1', started_at: at(100), ended_at: at(500), outcome: 'RETRYING', duration_ms: 400, error: 'ECONNREFUSED', result: null },
      { number: 2, worker: 'host/2', started_at: at(2_500), ended_at: at(2_700), outcome: 'DONE', duration_ms: 200, error: null, result: { status: 200 } },
    ]);
  });

  it('says an attempt another start followed was lost, one still running has no end, and the last failure is the job error', () => {
    const lost = job({
      status: 'IN PROGRESS',
      attempts: 2,
      result: null,
      transitions: [step('QUEUED', 0, 'api'), step('STARTED', 100), step('STARTED', 9_000, 'host/2'), step('IN PROGRESS', 9_100, 'host/2')],
    });
    expect(attemptsOf(lost).map(({ outcome, ended_at, duration_ms }) => ({ outcome, ended_at, duration_ms }))).toEqual([
      { outcome: 'lost', ended_at: null, duration_ms: null },
      { outcome: null, ended_at: null, duration_ms: null },
    ]);
    const failed = job({ status: 'FAILED', error: 'boom', result: null, transitions: [step('QUEUED', 0, 'api'), step('STARTED', 10), step('FAILED', 20)] });
    expect(attemptsOf(failed)[0]).toMatchObject({ outcome: 'FAILED', error: 'boom' });
  });

  it('reads a QUEUED after a run as a given-back run, not counted: the next run keeps its number; Compare sets counted attempts side by side', () => {
    const note = 'attempt 2 given back, not counted: PostgreSQL unreachable';
    const back = job({
      attempts: 2,
      attempt_errors: [{ attempt: 1, at: at(500), error: 'ECONNREFUSED' }],
      transitions: [
        step('QUEUED', 0, 'api'), step('STARTED', 100), step('RETRYING', 500), step('STARTED', 1_000), step('IN PROGRESS', 1_000),
        { ...step('QUEUED', 1_200), note }, step('STARTED', 3_000, 'host/2'), step('DONE', 3_100, 'host/2'),
      ],
    });
    expect(attemptsOf(back).map(({ number, outcome, error, duration_ms }) => [number, outcome, error, duration_ms])).toEqual([
      [1, 'RETRYING', 'ECONNREFUSED', 400],
      [2, 'given_back', note, 200],
      [2, 'DONE', null, 100],
    ]);
    expect(row(compareAttempts(back, 1, 2), 'outcome')).toMatchObject({ left: 'RETRYING', right: 'DONE' });
  });

  it('after a takeover, a give-back uncounts the lost run too: the rerun has its number', () => {
    const back = job({
      attempts: 1,
      transitions: [
        step('QUEUED', 0, 'api'), step('STARTED', 100), step('STARTED', 500, 'host/2'), step('QUEUED', 600, 'host/2'),
        step('STARTED', 1_000), step('DONE', 1_100),
      ],
    });
    expect(attemptsOf(back).map(({ number, outcome }) => [number, outcome])).toEqual([[1, 'lost'], [2, 'given_back'], [1, 'DONE']]);
    expect(countedAttemptsOf(back).map(({ number, outcome }) => [number, outcome])).toEqual([[1, 'DONE']]);
  });

  it('numbers the attempts of a job rebuilt after Redis lost it from the attempts already made', () => {
    const rebuilt = job({ attempts: 3, transitions: [step('STARTED', 100, 'host/3'), step('DONE', 300, 'host/3')] });
    expect(attemptsOf(rebuilt).map((attempt) => attempt.number)).toEqual([3]);
  });

  it('adds up where the time went: queued until the first start, the attempts run, created to the end', () => {
    expect(durationsOf(retried)).toEqual({ queued_ms: 100, running_ms: 600, total_ms: 2_700 });
    expect(durationsOf(job({ status: 'QUEUED', attempts: 0, transitions: [step('QUEUED', 0, 'api')] }))).toEqual({ queued_ms: null, running_ms: 0, total_ms: null });
  });
});

describe('compareJobs', () => {
  it('flags each payload and result key that differs, and leaves the same ones unflagged', () => {
    const original = job({ payload: { subject: 'Hi', body: 'x', nested: { a: 1, b: 2 } } });
    const replay = job({ payload: { subject: 'Hello', body: 'x', nested: { b: 2, a: 1 }, extra: true }, result: { record_id: 2 } });
    const rows = compareJobs(original, replay);
    expect(row(rows, 'payload.subject')).toMatchObject({ left: 'Hi', right: 'Hello', differs: true });
    expect(row(rows, 'payload.body')?.differs).toBe(false);
    // Key order is not a difference; a key only one side has is.
    expect(row(rows, 'payload.nested')?.differs).toBe(false);
    expect(row(rows, 'payload.extra')).toMatchObject({ left: null, right: 'true', differs: true });
    expect(row(rows, 'result.record_id')).toMatchObject({ left: '1', right: '2', differs: true });
    expect(row(rows, 'kind')?.differs).toBe(false);
  });

  it('compares status, error, workers and durations, a duration differing only when noticeably apart', () => {
    const failed = job({
      status: 'FAILED',
      result: null,
      error: 'ECONNREFUSED',
      transitions: [step('QUEUED', 0, 'api'), step('STARTED', 200), step('FAILED', 1_050)],
    });
    const rows = compareJobs(failed, retried);
    expect(row(rows, 'status')).toMatchObject({ left: 'FAILED', right: 'DONE', differs: true });
    expect(row(rows, 'error')).toMatchObject({ left: 'ECONNREFUSED', right: null, differs: true });
    expect(row(rows, 'result.status')).toMatchObject({ left: null, right: '200', differs: true });
    expect(row(rows, 'worker')).toMatchObject({ left: 'host/1', right: 'host/1, host/2', differs: true });
    expect(row(rows, 'running')).toMatchObject({ left: '850', right: '600', delta_ms: -250, differs: true });
    // 200 ms against 100 ms queued: 100 ms apart, half the longer: noticed.
    expect(row(rows, 'queued')).toMatchObject({ delta_ms: -100, differs: true });
    const same = compareJobs(job(), job({ transitions: [step('QUEUED', 0, 'api'), step('STARTED', 210), step('DONE', 1_030)] }));
    expect(row(same, 'running')).toMatchObject({ delta_ms: 20, differs: false });
  });
});

describe('compareAttempts', () => {
  it('sets two attempts of one job side by side: outcome, error, result, duration, worker; the same payload', () => {
    const rows = compareAttempts(retried, 1, 2);
    expect(row(rows, 'outcome')).toMatchObject({ left: 'RETRYING', right: 'DONE', differs: true });
    expect(row(rows, 'error')).toMatchObject({ left: 'ECONNREFUSED', right: null, differs: true });
    expect(row(rows, 'result.status')).toMatchObject({ left: null, right: '200', differs: true });
    expect(row(rows, 'running')).toMatchObject({ left: '400', right: '200', delta_ms: -200, differs: true });
    expect(row(rows, 'worker')).toMatchObject({ left: 'host/1', right: 'host/2', differs: true });
    expect(row(rows, 'payload.client_time')?.differs).toBe(false);
    expect(row(rows, 'started')?.differs).toBe(false);
  });

  it('answers null for an attempt the job does not have', () => {
    expect(compareAttempts(retried, 1, 3)).toBeNull();
  });
});

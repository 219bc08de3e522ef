import { describe, expect, it } from 'vitest';
import type { AttemptError, Transition } from '../../../src-shared/job';
import type { JobLogLine } from '../../../src-shared/job-log';
import { computeJobTiming, jobTimingSchema, withEffectTag, type CausedDelivery, type JobTiming, type TimingInputs } from '../../../src-shared/job-timing';
import type { JobStatus } from '../../../src-shared/statuses';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
/** The time `s` seconds after T0, as the job's fields carry it. */
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const W1 = 'host-a/101';
const W2 = 'host-b/202';

function step(status: JobStatus, s: number, worker = W1): Transition {
  return { status, at: at(s), worker: status === 'QUEUED' ? 'api' : worker };
}

function job(status: JobStatus, transitions: Transition[], extra: Partial<TimingInputs['job']> = {}): TimingInputs['job'] {
  return {
    created_at: at(0),
    status,
    transitions,
    attempt_errors: [],
    next_attempt_at: null,
    run_at: null,
    attempts: transitions.filter((t) => t.status === 'STARTED').length,
    ...extra,
  };
}

function timing(of: TimingInputs['job'], more: Partial<Omit<TimingInputs, 'job'>> = {}): JobTiming {
  const computed = computeJobTiming({ job: of, logs: [], deliveries: [], now: T0 + 100_000, ...more });
  jobTimingSchema.parse(computed);
  return computed;
}

/** The figures add up to the total, as the contract says. */
function expectSums(t: JobTiming): void {
  expect(t.scheduled_ms + t.queue_wait_ms + t.run_ms + t.retry_wait_ms).toBe(t.total_ms);
  expect(t.run_ms).toBe(t.attempts.reduce((sum, a) => sum + a.duration_ms, 0));
  expect(t.retry_wait_ms).toBe(t.retry_waits.reduce((sum, w) => sum + w.ms, 0));
}

const error = (attempt: number, s: number, text = 'callback answered HTTP 500'): AttemptError => ({ attempt, at: at(s), error: text });
const logLine = (attempt: number, s: number, line: string): JobLogLine => ({ attempt, at: at(s), line });

describe('computeJobTiming', () => {
  it('splits a job done at the first attempt into queue wait and the attempt, with its effect inside', () => {
    const done = job('DONE', [step('QUEUED', 0), step('STARTED', 2), step('IN PROGRESS', 2), step('DONE', 5)]);
    const t = timing(done, { logs: [logLine(1, 3, 'connected'), logLine(1, 4.5, withEffectTag('inserted row in 6 ms', 6))] });
    expect(t.queue_wait).toEqual({ from: at(0), to: at(2), ms: 2000 });
    expect(t.scheduled).toBeNull();
    expect(t.attempts).toEqual([
      {
        attempt: 1, started_at: at(2), ended_at: at(5), duration_ms: 3000, worker: W1, outcome: 'done', error: null,
        effect_ms: 6, effects: [{ from: at(4.494), to: at(4.5), ms: 6 }],
      },
    ]);
    expect(t).toMatchObject({ ended_at: at(5), total_ms: 5000, queue_wait_ms: 2000, run_ms: 3000, retry_wait_ms: 0, effect_ms: 6, retry_waits: [], notes: [] });
    expectSums(t);
  });

  it('counts a retried job: the failed attempt, the backoff wait to the next start, the second attempt', () => {
    const retried = job(
      'DONE',
      [step('QUEUED', 0), step('STARTED', 1), step('IN PROGRESS', 1), step('RETRYING', 4), step('STARTED', 6, W2), step('IN PROGRESS', 6, W2), step('DONE', 9, W2)],
      { attempt_errors: [error(1, 4)] },
    );
    const t = timing(retried);
    expect(t.attempts.map((a) => [a.attempt, a.outcome, a.duration_ms, a.worker, a.error])).toEqual([
      [1, 'failed', 3000, W1, 'callback answered HTTP 500'],
      [2, 'done', 3000, W2, null],
    ]);
    expect(t.retry_waits).toEqual([{ from: at(4), to: at(6), ms: 2000, after_attempt: 1, by: 'backoff', due_at: null }]);
    expect(t.effect_ms).toBeNull();
    expectSums(t);
  });

  it('shows the wait still on while RETRYING, due at next_attempt_at', () => {
    const waiting = job('RETRYING', [step('QUEUED', 0), step('STARTED', 1), step('RETRYING', 3)], {
      attempt_errors: [error(1, 3)],
      next_attempt_at: at(8),
    });
    const t = timing(waiting, { now: T0 + 5_000 });
    expect(t.ended_at).toBeNull();
    expect(t.retry_waits).toEqual([{ from: at(3), to: null, ms: 2000, after_attempt: 1, by: 'backoff', due_at: at(8) }]);
    expect(t.total_ms).toBe(5000);
    expectSums(t);
  });

  it('ends an attempt whose worker died when the redelivered attempt started, and says so', () => {
    const redelivered = job(
      'DONE',
      [step('QUEUED', 0), step('STARTED', 1), step('IN PROGRESS', 1), step('STARTED', 31, W2), step('IN PROGRESS', 31, W2), step('DONE', 33, W2)],
      { attempt_errors: [error(1, 31, 'the worker running this attempt stopped before finishing it')] },
    );
    const t = timing(redelivered);
    expect(t.attempts.map((a) => [a.attempt, a.outcome, a.ended_at, a.duration_ms])).toEqual([
      [1, 'worker_lost', at(31), 30000],
      [2, 'done', at(33), 2000],
    ]);
    expect(t.retry_waits).toEqual([]);
    expect(t.notes).toEqual(['attempt 1 ends when attempt 2 started: its worker was lost']);
    expectSums(t);
  });

  it('ends a failed attempt at its error when the retry started before its RETRYING write landed', () => {
    const raced = job('DONE', [step('QUEUED', 0), step('STARTED', 1), step('STARTED', 3, W2), step('DONE', 4, W2)], { attempt_errors: [error(1, 2)] });
    const t = timing(raced);
    expect(t.attempts.map((a) => [a.outcome, a.ended_at])).toEqual([['failed', at(2)], ['done', at(4)]]);
    expect(t.retry_waits).toEqual([{ from: at(2), to: at(3), ms: 1000, after_attempt: 1, by: 'backoff', due_at: null }]);
    expectSums(t);
  });

  it('reads a QUEUED after a run as a given-back run: not counted, the next run keeps its number, an outage wait between', () => {
    const note = 'attempt 1 given back, not counted: PostgreSQL unreachable';
    const back = job('DONE', [
      step('QUEUED', 0), step('STARTED', 1), step('IN PROGRESS', 1), { ...step('QUEUED', 2, W1), note },
      step('STARTED', 10, W2), step('IN PROGRESS', 10, W2), step('DONE', 12, W2),
    ], { attempts: 1 });
    const t = timing(back);
    expect(t.attempts.map((a) => [a.attempt, a.outcome, a.error, a.ended_at])).toEqual([
      [1, 'given_back', note, at(2)],
      [1, 'done', null, at(12)],
    ]);
    expect(t.retry_waits).toEqual([{ from: at(2), to: at(10), ms: 8000, after_attempt: 1, by: 'outage', due_at: null }]);
    expect(t.queue_wait).toEqual({ from: at(0), to: at(1), ms: 1000 });
    expect(t.notes).toEqual([]);
    expectSums(t);
  });

  it('after a takeover, a give-back uncounts the lost run too: the rerun has the lost run’s number, as the job’s attempts say', () => {
    const lostError = error(1, 5, 'the worker running this attempt stopped before finishing it');
    const back = job('DONE', [
      step('QUEUED', 0), step('STARTED', 1), step('IN PROGRESS', 1), step('STARTED', 5, W2), step('IN PROGRESS', 5, W2),
      { ...step('QUEUED', 6, W2), note: 'attempt 2 given back, not counted: PostgreSQL unreachable' },
      step('STARTED', 10), step('IN PROGRESS', 10), step('DONE', 11),
    ], { attempts: 1, attempt_errors: [lostError] });
    const t = timing(back);
    expect(t.attempts.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'worker_lost'], [2, 'given_back'], [1, 'done']]);
    expect(t.retry_waits).toMatchObject([{ after_attempt: 2, by: 'outage', from: at(6), to: at(10) }]);
    expectSums(t);
  });

  it('keeps a running job open: the attempt counts up to as_of', () => {
    const running = job('IN PROGRESS', [step('QUEUED', 0), step('STARTED', 2), step('IN PROGRESS', 2)]);
    const t = timing(running, { now: T0 + 7_000, logs: [logLine(1, 3, 'task progress: step 1 of 5 done')] });
    expect(t.attempts).toMatchObject([{ attempt: 1, ended_at: null, duration_ms: 5000, outcome: 'running', effect_ms: null }]);
    expect(t).toMatchObject({ as_of: at(7), ended_at: null, total_ms: 7000 });
    expectSums(t);
  });

  it('keeps a job no worker took yet waiting in its queue', () => {
    const t = timing(job('QUEUED', [step('QUEUED', 0)]), { now: T0 + 4_000 });
    expect(t.queue_wait).toEqual({ from: at(0), to: null, ms: 4000 });
    expect(t.attempts).toEqual([]);
    expectSums(t);
  });

  it('ends the queue wait of a job cancelled while queued at its cancel', () => {
    const t = timing(job('CANCELLED', [step('QUEUED', 0), step('CANCELLED', 3, 'api')]));
    expect(t.queue_wait).toEqual({ from: at(0), to: at(3), ms: 3000 });
    expect(t).toMatchObject({ ended_at: at(3), total_ms: 3000, attempts: [] });
    expectSums(t);
  });

  it('ends a running attempt cancelled by an operator as cancelled', () => {
    const t = timing(job('CANCELLED', [step('QUEUED', 0), step('STARTED', 1), step('IN PROGRESS', 1), step('CANCELLED', 2.5)]));
    expect(t.attempts).toMatchObject([{ outcome: 'cancelled', ended_at: at(2.5), duration_ms: 1500 }]);
    expectSums(t);
  });

  it('ends a backoff wait cut by a cancel at the cancel', () => {
    const t = timing(job('CANCELLED', [step('QUEUED', 0), step('STARTED', 1), step('RETRYING', 2), step('CANCELLED', 5, 'api')], { attempt_errors: [error(1, 2)] }));
    expect(t.retry_waits).toEqual([{ from: at(2), to: at(5), ms: 3000, after_attempt: 1, by: 'backoff', due_at: null }]);
    expectSums(t);
  });

  it("counts an operator's retry of a FAILED job as a wait from the failure to the next start", () => {
    const t = timing(
      job('DONE', [step('QUEUED', 0), step('STARTED', 1), step('FAILED', 2), step('QUEUED', 50, 'api'), step('STARTED', 51), step('DONE', 52)], {
        attempt_errors: [error(1, 2)],
      }),
    );
    expect(t.retry_waits).toEqual([{ from: at(2), to: at(51), ms: 49000, after_attempt: 1, by: 'operator', due_at: null }]);
    expect(t.attempts.map((a) => a.outcome)).toEqual(['failed', 'done']);
    expectSums(t);
  });

  it('splits a job submitted with run_at into scheduled, then queued', () => {
    const t = timing(job('DONE', [step('QUEUED', 0), step('STARTED', 11), step('DONE', 12)], { run_at: at(10) }));
    expect(t.scheduled).toEqual({ from: at(0), to: at(10), ms: 10000 });
    expect(t.queue_wait).toEqual({ from: at(10), to: at(11), ms: 1000 });
    expectSums(t);
  });

  it('takes the first QUEUED after another status as the end of a scheduled wait, whatever that status is called', () => {
    const scheduled = { status: 'SCHEDULED' as JobStatus, at: at(0), worker: 'api' };
    const t = timing(job('DONE', [scheduled, step('QUEUED', 20), step('STARTED', 21), step('DONE', 23)], { run_at: at(20) }));
    expect(t.scheduled).toEqual({ from: at(0), to: at(20), ms: 20000 });
    expect(t.queue_wait).toEqual({ from: at(20), to: at(21), ms: 1000 });
    expectSums(t);
    const waiting = timing(job('QUEUED', [scheduled], { run_at: at(200) }), { now: T0 + 30_000 });
    expect(waiting.scheduled).toEqual({ from: at(0), to: null, ms: 30000 });
    expect(waiting.queue_wait).toBeNull();
    expectSums(waiting);
  });

  it("numbers attempts as the job does when the kept transitions begin after earlier attempts", () => {
    const rebuilt = job('DONE', [step('STARTED', 1), step('DONE', 2)], { attempts: 3 });
    expect(timing(rebuilt).attempts.map((a) => a.attempt)).toEqual([3]);
  });

  it('times the deliveries the job caused, and says when they could not be read', () => {
    const deliveries: CausedDelivery[] = [
      { type: 'batch', id: 'b', event_type: 'batch.COMPLETED', created_at: at(7), state: 'pending', attempts: [] },
      {
        type: 'webhook', id: 'w', event_type: 'job.DONE', created_at: at(5.1), state: 'delivered',
        attempts: [{ at: at(5.2), duration_ms: 40 }, { at: at(6.2), duration_ms: 10 }],
      },
    ];
    const done = job('DONE', [step('QUEUED', 0), step('STARTED', 1), step('DONE', 5)]);
    const t = timing(done, { deliveries });
    expect(t.deliveries).toEqual([
      { type: 'webhook', id: 'w', event_type: 'job.DONE', created_at: at(5.1), started_at: at(5.2), ended_at: at(6.21), ms: 1010, attempts: 2, outcome: 'delivered' },
      { type: 'batch', id: 'b', event_type: 'batch.COMPLETED', created_at: at(7), started_at: null, ended_at: null, ms: null, attempts: 0, outcome: 'pending' },
    ]);
    const unknown = timing(done, { deliveries: null, logs: null });
    expect(unknown.deliveries).toBeNull();
    expect(unknown.notes).toEqual(['effect times unknown: the log was not read in time', 'deliveries unknown: PostgreSQL did not answer in time']);
  });

  it('adds up several effects of one attempt and keeps each inside it', () => {
    const done = job('DONE', [step('QUEUED', 0), step('STARTED', 1), step('DONE', 5)]);
    const t = timing(done, { logs: [logLine(1, 1.5, withEffectTag('first', 900)), logLine(1, 4, withEffectTag('second', 200)), logLine(1, 4.2, 'in 5 ms, untagged')] });
    expect(t.attempts[0]!.effect_ms).toBe(1100);
    expect(t.attempts[0]!.effects).toEqual([
      { from: at(1), to: at(1.5), ms: 900 },
      { from: at(3.8), to: at(4), ms: 200 },
    ]);
  });
});

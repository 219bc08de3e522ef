import type { EventSourceLike, SseEventType } from '../../../src-renderer/bridge/event-feed';
import type { Batch, BatchChild } from '../../../src-shared/batch-schemas';
import type { MailRecord, MailSummary, WebhookSummary } from '../../../src-shared/console-records';
import type { BatchEvent, JobEvent } from '../../../src-shared/events';
import type { Job } from '../../../src-shared/job';
import type { JobStatus } from '../../../src-shared/statuses';
import type { Schedule } from '../../../src-renderer/bridge/schedule';
import type { Slot } from '../../../src-renderer/store/loaded';

let counter = 0;

/** A job created `createdSecond` seconds after a fixed epoch, in the state given (version 1 unless given). */
export function makeJob(overrides: Partial<Job> & { createdSecond?: number } = {}): Job {
  const { createdSecond = counter++, ...rest } = overrides;
  const created = new Date(Date.UTC(2025, 0, 1, 12, 0, 0) + createdSecond * 1000).toISOString();
  return {
    id: `job-${String(createdSecond).padStart(5, '0')}`,
    kind: 'log',
    type: 'A',
    status: 'QUEUED',
    payload: { client_time: created },
    progress: 0,
    attempts: 0,
    max_attempts: 5,
    next_attempt_at: null,
    attempt_errors: [],
    replay_of: null,
    schedule_id: null,
    run_at: null,
    created_at: created,
    updated_at: created,
    transitions: [{ status: 'QUEUED', at: created, worker: 'api' }],
    result: null,
    error: null,
    version: 1,
    ...rest,
  };
}

/** The job moved on to `status`, `afterMs` after it was created (one more transition, one more version). */
export function advance(job: Job, status: JobStatus, afterMs: number, progress = job.progress): Job {
  const at = new Date(Date.parse(job.created_at) + afterMs).toISOString();
  return {
    ...job,
    status,
    progress,
    updated_at: at,
    transitions: [...job.transitions, { status, at, worker: 'host/42' }],
    version: job.version + 1,
  };
}

/** The event announcing `job` at `version` (the job's own unless given; the job then carries it too). */
export function eventOf(job: Job, version = job.version): JobEvent {
  return {
    id: `${version}-0`,
    job_id: job.id,
    kind: job.kind,
    status: job.status,
    version,
    job: { ...job, version },
  };
}

/** A clock the test moves by hand: callbacks run only when `advance` passes their time. */
export function manualSchedule(): Schedule & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let tasks: { at: number; callback: () => void }[] = [];
  const schedule = ((callback: () => void, delayMs: number) => {
    const task = { at: now + delayMs, callback };
    tasks.push(task);
    return () => {
      tasks = tasks.filter((other) => other !== task);
    };
  }) as Schedule & { advance(ms: number): void; pending(): number };
  schedule.advance = (ms: number) => {
    now += ms;
    const due = tasks.filter((task) => task.at <= now).sort((a, b) => a.at - b.at);
    tasks = tasks.filter((task) => task.at > now);
    for (const task of due) task.callback();
  };
  schedule.pending = () => tasks.length;
  return schedule;
}

/** A store slot over a plain variable, recording every state written to it. */
export function memorySlot<S>(initial: S): Slot<S> & { written: S[] } {
  let value = initial;
  const written: S[] = [];
  return {
    written,
    read: () => value,
    write(next) {
      value = next;
      written.push(next);
    },
  };
}

/** A child of a batch, QUEUED unless told. */
export const child = (id: string, over: Partial<BatchChild> = {}): BatchChild => ({
  id,
  kind: 'callback',
  status: 'QUEUED',
  progress: 0,
  result: null,
  error: null,
  ...over,
});

/** A batch of two children (callback and log), running, with a fan-in callback. */
export function makeBatch(over: Partial<Batch> = {}): Batch {
  const jobs = over.jobs ?? [child('job-00001'), child('job-00002', { kind: 'log' })];
  return {
    id: 'batch-1',
    status: 'RUNNING',
    created_at: '2026-01-01T00:00:00.000Z',
    completed_at: null,
    job_ids: jobs.map((j) => j.id),
    total: jobs.length,
    counts: { QUEUED: jobs.length },
    progress: 0,
    on_complete: { callback_url: 'http://127.0.0.1:8000/api/v1/inbox/batches' },
    jobs,
    callback: null,
    ...over,
  };
}

/** The fan-in event of `makeBatch()`'s batch. */
export const fanIn: BatchEvent = {
  id: '9-0',
  type: 'batch',
  batch_id: 'batch-1',
  kind: 'batch',
  status: 'COMPLETED',
  at: '2026-01-01T00:00:05.000Z',
  counts: { DONE: 2 },
  job_ids: ['job-00001', 'job-00002'],
};

/** A mail list item. */
export function mailSummary(id: string, subject: string): MailSummary {
  return {
    id,
    received_at: '2026-01-01T00:00:00.000Z',
    envelope_from: 'a@b.test',
    envelope_to: ['ops@b.test'],
    message_id: null,
    subject,
    size: 10,
    preview: `preview of ${subject}`,
  };
}

/** The whole message of `mailSummary(id, subject)`. */
export function mailWhole(id: string, subject: string, bodies: Partial<MailRecord> = {}): MailRecord {
  return { ...withoutPreview(mailSummary(id, subject)), headers: { subject }, text_body: `text of ${subject}`, html_body: null, ...bodies };
}

/** A list item as its whole record has it: everything but the preview. */
export function withoutPreview<T extends { preview: unknown }>(item: T): Omit<T, 'preview'> {
  const copy: Partial<T> = { ...item };
  delete copy.preview;
  return copy as Omit<T, 'preview'>;
}

/** A webhook list item. */
export function webhookSummary(id: string, path: string): WebhookSummary {
  return { id, received_at: '2026-01-01T00:00:00.000Z', method: 'POST', path, content_type: 'application/json', size: 9, preview: '{"a":1}' };
}

/** An EventSource the test drives, frame by frame, by SSE event name. */
export class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners: { type: SseEventType; listener: (event: MessageEvent<string>) => void }[] = [];

  constructor(readonly url: string) {}

  addEventListener(type: SseEventType, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.push({ type, listener });
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
  /** Delivers one SSE frame of `type` (`event: job` unless said). */
  send(data: string, lastEventId = '', type: SseEventType = 'job'): void {
    for (const entry of this.listeners) if (entry.type === type) entry.listener({ data, lastEventId } as MessageEvent<string>);
  }
  /** Delivers `value` (JSON unless a string) as one SSE frame of `type`. */
  emit(type: SseEventType, value: unknown, lastEventId = ''): void {
    this.send(typeof value === 'string' ? value : JSON.stringify(value), lastEventId, type);
  }
}

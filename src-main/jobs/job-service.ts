import { randomUUID } from 'node:crypto';
import type { Job, Page } from '../../src-shared/job';
import { KIND_LETTER, type JobKind } from '../../src-shared/kinds';
import { ValidationError, toFieldErrors } from '../../src-shared/problem';
import {
  CALLBACK_DEFAULT_DURATION_MS,
  PAYLOAD_SCHEMAS,
  type ResolvedPayload,
} from '../../src-shared/schemas';
import type { JobStatusClient } from '../../src-shared/status-store';
import { toRfc3339 } from '../../src-shared/time';
import { JOB_MESSAGE_VERSION, type JobMessage } from '../../src-shared/wire';
import type { JobPublisher } from '../broker/job-publisher';
import type { JobHistory, JobListQuery } from '../history/job-history';
import type { Admission } from './admission';

/** Redis answers in well under a millisecond when up: past this, the history answers instead. */
const STATUS_READ_TIMEOUT_MS = 500;

/** The work's value, or null if it fails or takes longer than `ms`. */
function withinOrNull<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([work.catch(() => null), late]).finally(() => clearTimeout(timer));
}

/** What a job gets when its payload leaves a field out. */
export interface JobDefaults {
  /** Kind B's callback target: the embedded webhook inbox. */
  callbackUrl(jobId: string): string;
  /** Kind C's recipient. */
  recipient: string;
}

export interface JobServiceOptions {
  status: JobStatusClient;
  publisher: JobPublisher;
  history: JobHistory;
  defaults: JobDefaults;
  /** Backpressure: refuses a job whose kind's queue is full, before anything is written. */
  admission?: Admission;
}

/**
 * Accepting, reading and listing jobs: the one place the HTTP API and the window's IPC call.
 */
export class JobService {
  constructor(private readonly options: JobServiceOptions) {}

  /**
   * Validates, records the job as QUEUED (with its event) and publishes it; resolves once the
   * broker confirmed. A job the broker did not confirm is ended CANCELLED, never left QUEUED:
   * should the message still arrive, the worker finds it terminal and drops it.
   * `fieldPrefix` names where the payload came from (`payload` in a body, nothing in a query).
   */
  async submit(kind: JobKind, input: unknown, fieldPrefix = 'payload'): Promise<Job> {
    const parsed = PAYLOAD_SCHEMAS[kind].safeParse(input ?? {});
    if (!parsed.success) throw new ValidationError(toFieldErrors(parsed.error, input, fieldPrefix));
    await this.options.admission?.admit(kind);
    const id = randomUUID();
    const now = toRfc3339(Date.now());
    const payload = this.applyDefaults(kind, id, parsed.data);
    const { status, publisher } = this.options;
    const created = await status.write(id, {
      status: 'QUEUED',
      at: now,
      worker: 'api',
      guard: 'create',
      emit: true,
      seed: { id, kind, type: KIND_LETTER[kind], payload, created_at: now },
    });
    const message: JobMessage = {
      v: JOB_MESSAGE_VERSION,
      uuid: id,
      type: KIND_LETTER[kind],
      extra_data: payload,
      kind,
      created_at: now,
    };
    try {
      await publisher.publish(message);
    } catch (error) {
      await this.withdraw(id, error as Error);
      throw error;
    }
    return created.job!;
  }

  /**
   * The freshest state: Redis while it holds the job, the history after — or while Redis is down
   * or slow: a read Redis does not answer within half a second falls back to the history.
   */
  async get(id: string): Promise<Job | null> {
    const cached = await withinOrNull(this.options.status.read(id), STATUS_READ_TIMEOUT_MS);
    return cached ?? (await this.options.history.get(id));
  }

  list(query: JobListQuery): Promise<Page<Job>> {
    return this.options.history.list(query);
  }

  private async withdraw(id: string, reason: Error): Promise<void> {
    await this.options.status
      .write(id, {
        status: 'CANCELLED',
        at: toRfc3339(Date.now()),
        worker: 'api',
        guard: 'any',
        emit: true,
        error: `not accepted: ${reason.message}`,
      })
      .catch(() => undefined);
  }

  private applyDefaults(kind: JobKind, id: string, payload: Record<string, unknown>): ResolvedPayload {
    const { defaults } = this.options;
    switch (kind) {
      case 'log':
        return { client_time: String(payload.client_time) };
      case 'callback':
        return {
          callback_url: (payload.callback_url as string | undefined) ?? defaults.callbackUrl(id),
          duration_ms: (payload.duration_ms as number | undefined) ?? CALLBACK_DEFAULT_DURATION_MS,
        };
      case 'email':
        return { ...payload, email_address: (payload.email_address as string | undefined) ?? defaults.recipient };
    }
  }
}

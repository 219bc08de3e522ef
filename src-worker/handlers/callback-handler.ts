import type { ResolvedPayloads } from '../../src-shared/schemas';
import type { JobContext, JobHandler } from './handler';

const CALLBACK_TIMEOUT_MS = 10_000;
/** Progress is reported about this often during the long task. */
const PROGRESS_EVERY_MS = 1_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('worker stopping'));
    }, { once: true });
  });
}

/**
 * Kind B: runs the long task, reporting progress, then POSTs the result as JSON to the
 * callback URL. The `webhook-id` header is the job ID, the same on every attempt, so the
 * receiver can drop a repeat. A non-2xx answer or a timeout fails the attempt with that reason.
 */
export class CallbackHandler implements JobHandler {
  async run({ job, reportProgress, signal }: JobContext): Promise<Record<string, unknown>> {
    const { callback_url, duration_ms } = job.extra_data as ResolvedPayloads['callback'];
    const steps = Math.max(1, Math.ceil(duration_ms / PROGRESS_EVERY_MS));
    for (let step = 1; step <= steps; step++) {
      await sleep(duration_ms / steps, signal);
      if (step < steps) await reportProgress((step / steps) * 100);
    }
    const finishedAt = new Date().toISOString();
    const body = {
      uuid: job.uuid,
      type: job.type,
      kind: job.kind,
      status: 'DONE',
      result: { duration_ms, finished_at: finishedAt },
    };
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(callback_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Jobdeck-Worker',
          'webhook-id': job.uuid,
          'webhook-timestamp': String(Math.floor(started / 1000)),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${CALLBACK_TIMEOUT_MS} ms` : (error as Error).message;
      throw new Error(`callback to ${callback_url} failed: ${cause}`);
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`callback to ${callback_url} answered HTTP ${response.status}`);
    return {
      callback_url,
      status_code: response.status,
      delivery_id: job.uuid,
      duration_ms,
      finished_at: finishedAt,
      callback_ms: Date.now() - started,
    };
  }
}

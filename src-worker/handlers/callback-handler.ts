import { redactUrl } from '../../src-shared/redact';
import type { ResolvedPayloads } from '../../src-shared/schemas';
import { httpTarget, type HttpTarget } from '../../src-shared/url-credentials';
import { signWebhook } from '../../src-shared/node/webhook-signing';
import { sleep } from '../waits';
import { PermanentJobError, type JobContext, type JobHandler } from './handler';

/** Longest wait for the callback's answer. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** Progress is reported about this often during the long task. */
const PROGRESS_EVERY_MS = 1_000;

interface Delivery {
  status: number;
  ms: number;
}

/** Why fetch refuses a target for good (undici's causes): no retry can cure these. */
const INCURABLE_CAUSES = new Set(['bad port', 'unknown scheme']);

/** The callback URL as fetch takes it (see httpTarget); a URL that is not one fails for good. */
function targetOf(callbackUrl: string): HttpTarget {
  try {
    return httpTarget(callbackUrl);
  } catch {
    throw new PermanentJobError(`callback URL ${redactUrl(callbackUrl)} is not a valid URL`);
  }
}

/** POSTs JSON once, bounded by the timeout and by the worker's stop signal. */
async function postJson(
  callbackUrl: string,
  body: unknown,
  deliveryId: string,
  signal: AbortSignal,
  timeoutMs: number,
  secret?: string,
): Promise<Delivery> {
  const shown = redactUrl(callbackUrl);
  const { url, authorization } = targetOf(callbackUrl);
  const started = Date.now();
  const text = JSON.stringify(body);
  // Signed per Standard Webhooks when the job gave a secret; the ID is the job's, on every attempt.
  const signature = secret ? signWebhook(secret, deliveryId, text, new Date(started)) : {};
  const request = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    request.abort();
  }, timeoutMs);
  const stop = (): void => request.abort();
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Jobdeck-Worker',
        'webhook-id': deliveryId,
        'webhook-timestamp': String(Math.floor(started / 1000)),
        ...(authorization ? { authorization } : {}),
        ...signature,
      },
      body: text,
      signal: request.signal,
      redirect: 'manual',
    });
    await response.arrayBuffer();
    return { status: response.status, ms: Date.now() - started };
  } catch (error) {
    // fetch says only "fetch failed"; the socket's own error is in `cause`.
    const failure = error as Error & { cause?: Error };
    const cause = timedOut ? `no answer within ${timeoutMs} ms` : redactUrl(failure.cause?.message ?? failure.message);
    const message = `callback to ${shown} failed: ${cause}`;
    if (!timedOut && !signal.aborted && INCURABLE_CAUSES.has(failure.cause?.message ?? '')) throw new PermanentJobError(message);
    throw new Error(message);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}

/** Why the signal aborted: an operator's cancel, or the worker stopping. */
function stopReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'worker stopping';
}

/**
 * Kind B: runs the long task, reporting progress, then POSTs the result as JSON to the
 * callback URL. The `webhook-id` header is the job ID, the same on every attempt, so the
 * receiver can drop a repeat. A non-2xx answer or a timeout fails the attempt with that reason.
 */
export class CallbackHandler implements JobHandler {
  constructor(private readonly timeoutMs = CALLBACK_TIMEOUT_MS) {}

  async run({ job, reportProgress, signal, log }: JobContext): Promise<Record<string, unknown>> {
    const { callback_url, duration_ms, secret } = job.extra_data as ResolvedPayloads['callback'];
    const steps = Math.max(1, Math.ceil(duration_ms / PROGRESS_EVERY_MS));
    log(`long task started: ${duration_ms} ms in ${steps} steps`);
    for (let step = 1; step <= steps; step++) {
      await sleep(duration_ms / steps, signal);
      if (signal.aborted) throw new Error(`long task stopped at step ${step} of ${steps}: ${stopReason(signal)}`);
      log(`task progress: step ${step} of ${steps} done`);
      if (step < steps) await reportProgress((step / steps) * 100);
    }
    const finishedAt = new Date().toISOString();
    const result = { duration_ms, finished_at: finishedAt };
    const body = { uuid: job.uuid, type: job.type, kind: job.kind, status: 'DONE', result };
    log(`POSTing the result to ${redactUrl(callback_url)}`);
    const delivery = await postJson(callback_url, body, job.uuid, signal, this.timeoutMs, secret);
    log(`POST answered ${delivery.status} in ${delivery.ms} ms`);
    if (delivery.status < 200 || delivery.status > 299) {
      throw new Error(`callback to ${redactUrl(callback_url)} answered HTTP ${delivery.status}`);
    }
    return { ...result, callback_url: redactUrl(callback_url), status_code: delivery.status, delivery_id: job.uuid, callback_ms: delivery.ms };
  }
}

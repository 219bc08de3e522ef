import { redactUrl } from '../../src-shared/redact';
import type { ResolvedPayloads } from '../../src-shared/schemas';
import { sleep } from '../waits';
import type { JobContext, JobHandler } from './handler';
import { postJson } from './http-post';
import { withEffectTag } from '../../src-shared/job-timing';
import { OPEN_OUTBOUND, type OutboundClient } from '../../src-shared/node/outbound-fetch';

/** Longest wait for the callback's answer. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** Progress is reported about this often during the long task. */
const PROGRESS_EVERY_MS = 1_000;

/** Why the signal aborted: an operator's cancel, or the worker stopping. */
function stopReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'worker stopping';
}

/**
 * Kind B: runs the long task, reporting progress, then POSTs the result as JSON to the
 * callback URL. The `webhook-id` header is the job ID, the same on every attempt, so the
 * receiver can drop a repeat. A non-2xx answer or a timeout fails the attempt with that reason.
 * The callback URL is the job's own input, not the worker's dependency: an unreachable one is a
 * failed attempt, never an outage that spares the job's attempts. A URL the outbound policy
 * refuses fails the job for good.
 */
export class CallbackHandler implements JobHandler {
  constructor(
    private readonly timeoutMs = CALLBACK_TIMEOUT_MS,
    private readonly outbound: OutboundClient = OPEN_OUTBOUND,
  ) {}

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
    const delivery = await postJson({ label: 'callback', url: callback_url, body, deliveryId: job.uuid, signal, timeoutMs: this.timeoutMs, secret, outbound: this.outbound });
    log(withEffectTag(`POST answered ${delivery.status} in ${delivery.ms} ms`, delivery.ms));
    if (delivery.status < 200 || delivery.status > 299) {
      throw new Error(`callback to ${redactUrl(callback_url)} answered HTTP ${delivery.status}`);
    }
    return { ...result, callback_url: redactUrl(callback_url), status_code: delivery.status, delivery_id: job.uuid, callback_ms: delivery.ms };
  }
}

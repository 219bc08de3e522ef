import type { DeliveryAttempt } from '../../src-shared/subscription-schemas';
import { redactText } from '../../src-shared/redact';
import { httpTarget } from '../../src-shared/url-credentials';
import { signWebhook } from '../../src-shared/node/webhook-signing';
import { OutboundRefusedError, type OutboundClient } from '../../src-shared/node/outbound-fetch';

/** Longest wait for a receiver's answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_ERROR_CHARS = 500;

/** An attempt to record, and whether it failed for good: the outbound policy refused its URL. */
export interface SentWebhook {
  attempt: DeliveryAttempt;
  permanent: boolean;
}

/** One signed POST of a delivery, through the outbound policy; never throws: the outcome is the attempt to record. */
export async function sendWebhook(
  delivery: { id: string; url: string; secret: string; body: string },
  outbound: OutboundClient,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<SentWebhook> {
  const started = new Date();
  const duration = (): number => Date.now() - started.getTime();
  try {
    const target = httpTarget(delivery.url);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Jobdeck-Webhooks',
      ...(target.authorization ? { authorization: target.authorization } : {}),
      ...signWebhook(delivery.secret, delivery.id, delivery.body, started),
    };
    const response = await outbound.fetch(target.url, {
      method: 'POST',
      headers,
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status <= 299;
    const error = ok ? null : `answered HTTP ${response.status}`;
    return { attempt: { at: started.toISOString(), status_code: response.status, duration_ms: duration(), error }, permanent: false };
  } catch (error) {
    const failure = error as Error & { cause?: Error };
    const permanent = failure instanceof OutboundRefusedError;
    const reason = permanent
      ? `refused by the outbound policy: ${failure.message}`
      : failure.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (failure.cause?.message ?? failure.message);
    return { attempt: { at: started.toISOString(), status_code: null, duration_ms: duration(), error: redactText(reason).slice(0, MAX_ERROR_CHARS) }, permanent };
  }
}

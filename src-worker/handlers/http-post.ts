import { redactUrl } from '../../src-shared/redact';
import { httpTarget, type HttpTarget } from '../../src-shared/url-credentials';
import { signWebhook } from '../../src-shared/node/webhook-signing';
import { OutboundRefusedError, type OutboundClient } from '../../src-shared/node/outbound-fetch';
import { PermanentJobError } from './handler';

/** The most of an answer's body that is read; past it the POST fails. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** One POST: where (its URL, and what it is for the messages), what, and its bounds. */
export interface JsonPost {
  /** What the POST is, in its failure messages (`callback`, `http handler`). */
  label: string;
  url: string;
  body: unknown;
  /** `webhook-id`: the same on every attempt of one delivery. */
  deliveryId: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Signs the POST per Standard Webhooks when given. */
  secret?: string;
  /** The outbound URL policy the POST goes through. */
  outbound: OutboundClient;
}

/** How the receiver answered. */
export interface PostAnswer {
  status: number;
  ms: number;
  body: string;
}

/** Why fetch refuses a target for good (undici's causes): no retry can cure these. */
const INCURABLE_CAUSES = new Set(['bad port', 'unknown scheme']);

/** The URL as fetch takes it (see httpTarget); a URL that is not one fails for good. */
function targetOf(post: JsonPost): HttpTarget {
  try {
    return httpTarget(post.url);
  } catch {
    throw new PermanentJobError(`${post.label} URL ${redactUrl(post.url)} is not a valid URL`);
  }
}

/** The answer's body as text, at most MAX_ANSWER_BYTES. */
async function boundedText(response: { body: AsyncIterable<Uint8Array> | null }): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw new Error(`its answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** POSTs JSON once, bounded by the timeout and by the worker's signal. */
export async function postJson(post: JsonPost): Promise<PostAnswer> {
  const { label, body, deliveryId, signal, timeoutMs, secret, outbound } = post;
  const shown = redactUrl(post.url);
  const { url, authorization } = targetOf(post);
  const started = Date.now();
  const text = JSON.stringify(body);
  // Signed per Standard Webhooks when there is a secret; the ID is the same on every attempt.
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
    const response = await outbound.fetch(url, {
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
    const answer = await boundedText(response);
    return { status: response.status, ms: Date.now() - started, body: answer };
  } catch (error) {
    // The same words whatever the target's port would have answered: it was never connected to.
    if (error instanceof OutboundRefusedError) throw new PermanentJobError(`${label} to ${shown} was refused by the outbound policy: ${error.message}`);
    // fetch says only "fetch failed"; the socket's own error is in `cause`.
    const failure = error as Error & { cause?: Error };
    const cause = timedOut ? `no answer within ${timeoutMs} ms` : redactUrl(failure.cause?.message ?? failure.message);
    const message = `${label} to ${shown} failed: ${cause}`;
    if (!timedOut && !signal.aborted && INCURABLE_CAUSES.has(failure.cause?.message ?? '')) throw new PermanentJobError(message);
    throw new Error(message, { cause: failure.cause });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}

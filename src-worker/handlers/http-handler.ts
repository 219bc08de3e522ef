import { withEffectTag } from '../../src-shared/job-timing';
import { redactUrl } from '../../src-shared/redact';
import type { HttpHandlerSpec } from '../../src-shared/kind-definition';
import { OPEN_OUTBOUND, type OutboundClient } from '../../src-shared/node/outbound-fetch';
import { PermanentJobError, UnavailableError, type JobContext, type JobHandler } from './handler';
import { isConnectFailure } from './unreachable';
import { postJson, type PostAnswer } from './http-post';
import { resultOf, userJob } from './user-job';

/** Longest wait for an http handler's answer when its spec names no `timeout_ms`. */
export const HTTP_HANDLER_TIMEOUT_MS = 30_000;
/** How much of a refused answer's body its failure quotes. */
const QUOTED_CHARS = 300;

/** 4xx answers that a later attempt may see otherwise: request timeout, too many requests. */
const RETRIED_CLIENT_ERRORS = new Set([408, 429]);

const quote = (body: string): string => {
  const text = body.trim();
  if (text === '') return '';
  return `: ${text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text}`;
};

/**
 * A 2xx answer's result: its JSON body (see resultOf), `{}` when it has none. A body that is not
 * JSON fails the attempt: the receiver broke its side of the contract.
 */
function resultOfAnswer(answer: PostAnswer, shown: string): Record<string, unknown> {
  if (answer.body.trim() === '') return {};
  try {
    return resultOf(JSON.parse(answer.body), shown);
  } catch {
    throw new Error(`${shown} answered HTTP ${answer.status} with a body that is not JSON${quote(answer.body)}`);
  }
}

/**
 * POSTs the job (`{id, kind, payload, attempt}`, signed per Standard Webhooks when the spec
 * has a secret; `webhook-id` is the job's ID on every attempt) and takes a 2xx JSON answer as
 * the result. 4xx other than 408 and 429 fails the job for good; a 503 or a connection that
 * cannot be made (refused, reset, no such host) is an outage of the kind's endpoint
 * ({@link UnavailableError}); any other answer or a timeout (the endpoint may have acted) fails
 * the attempt, to be retried. A URL the outbound policy refuses fails the job for good.
 */
export class HttpHandler implements JobHandler {
  constructor(
    private readonly spec: HttpHandlerSpec['http'],
    private readonly attemptTimeoutMs: number,
    private readonly outbound: OutboundClient = OPEN_OUTBOUND,
  ) {}

  private secret(): string | undefined {
    const { secret, secret_env } = this.spec;
    if (secret || !secret_env) return secret;
    const value = process.env[secret_env];
    // The kinds file's check refuses this at start; an attempt cannot cure it either.
    if (!value) throw new PermanentJobError(`the environment variable ${secret_env} that holds the http handler's secret is not set`);
    return value;
  }

  async run(context: JobContext): Promise<Record<string, unknown>> {
    const job = userJob(context);
    const shown = `http handler ${redactUrl(this.spec.url)}`;
    const answer = await postJson({
      label: 'http handler',
      url: this.spec.url,
      body: job,
      deliveryId: job.id,
      signal: context.signal,
      timeoutMs: Math.min(this.spec.timeout_ms ?? HTTP_HANDLER_TIMEOUT_MS, this.attemptTimeoutMs),
      secret: this.secret(),
      outbound: this.outbound,
    }).catch((error: Error) => {
      if (context.signal.aborted || !isConnectFailure(error.cause)) throw error;
      throw new UnavailableError(error.message, `kind ${job.kind}'s endpoint`);
    });
    context.log(withEffectTag(`POST answered ${answer.status} in ${answer.ms} ms`, answer.ms));
    if (answer.status >= 200 && answer.status <= 299) return resultOfAnswer(answer, shown);
    const message = `${shown} answered HTTP ${answer.status}${quote(answer.body)}`;
    if (answer.status === 503) throw new UnavailableError(message, `kind ${job.kind}'s endpoint`);
    const permanent = answer.status >= 400 && answer.status <= 499 && !RETRIED_CLIENT_ERRORS.has(answer.status);
    throw permanent ? new PermanentJobError(message) : new Error(message);
  }
}

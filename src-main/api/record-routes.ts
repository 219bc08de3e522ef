import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { ClientByteBudget } from '../inbox/client-byte-budget';
import type { WebhookInbox } from '../inbox/webhook-inbox';
import type { MailboxStore } from '../mailbox/mailbox-store';
import { parseInput, problem, sendProblem } from './problems';
import { redactText } from '../../src-shared/redact';

const MAX_BIGSERIAL = 2n ** 63n - 1n;

/** An ID (or a cursor, which is one) of a received item: a bigserial, 1 to 2^63−1. */
const recordId = (what: string) =>
  z
    .string()
    .regex(/^\d{1,19}$/, { error: `must be ${what} this API gave out`, abort: true })
    .refine((value) => BigInt(value) >= 1n && BigInt(value) <= MAX_BIGSERIAL, {
      message: `must be ${what} this API gave out (1 to ${MAX_BIGSERIAL})`,
      params: { rule: 'format' },
    });

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: recordId('a cursor').optional(),
});

export const recordParamsSchema = z.strictObject({ id: recordId('an ID') });

export const MAX_INBOX_BODY_BYTES = 1024 * 1024;

/** Headers that carry credentials: the inbox is readable by anyone who can reach the API. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const SECRET_HEADER_PATTERN = /secret|token|api-key/;
const REDACTED = '[redacted]';

/** Marks a stored body that is base64 of the bytes received, not the text itself. */
const BASE64_BODY_PREFIX = 'base64:';

function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) =>
      SECRET_HEADERS.has(name) || SECRET_HEADER_PATTERN.test(name) ? [name, REDACTED] : [name, value],
    ),
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as PostgreSQL `text` can hold it. Clean UTF-8 is kept as is; bytes that are not
 * UTF-8, or that hold a NUL (which `text` refuses), become `base64:<the bytes in base64>`.
 * Text that itself starts with `base64:` is encoded too, so the prefix is never ambiguous.
 */
function storableBody(body: Buffer): string {
  try {
    const text = utf8.decode(body);
    if (!text.includes('\0') && !text.startsWith(BASE64_BODY_PREFIX)) return text;
  } catch {
    // not UTF-8: encoded below
  }
  return BASE64_BODY_PREFIX + body.toString('base64');
}

/**
 * The embedded mail sink's mailbox and the webhook inbox: what they received, newest first and
 * without bodies, and one item whole. `inboxBudget` bounds what one client may POST to the inbox
 * per second (none when absent: an API built alone, in tests).
 */
export function recordRoutes(mailbox: MailboxStore, inbox: WebhookInbox, inboxBudget?: ClientByteBudget) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/mailbox', async (request) => {
      const { limit, cursor } = parseInput(pageQuerySchema, request.query);
      return mailbox.list(limit, cursor);
    });

    app.get('/api/v1/mailbox/:id', async (request, reply) => {
      const { id } = parseInput(recordParamsSchema, request.params);
      return (await mailbox.get(id)) ?? sendProblem(reply, problem(404, `no message ${id} in the mailbox`, 'unknown-mail'));
    });

    app.get('/api/v1/inbox', async (request) => {
      const { limit, cursor } = parseInput(pageQuerySchema, request.query);
      return inbox.list(limit, cursor);
    });

    // Only GET: a POST to the same path is a webhook like any other, recorded below.
    app.get('/api/v1/inbox/items/:id', async (request, reply) => {
      const { id } = parseInput(recordParamsSchema, request.params);
      return (await inbox.get(id)) ?? sendProblem(reply, problem(404, `no request ${id} in the inbox`, 'unknown-inbox-item'));
    });

    // The inbox takes any body of any type, read as bytes so that no body can fail the insert.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_INBOX_BODY_BYTES }, (_req, body, done) =>
        done(null, body),
      );
      scope.post('/api/v1/inbox/*', async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const budget = inboxBudget?.take(request.ip, body.length);
        if (budget && !budget.allowed) {
          reply.header('retry-after', String(budget.retryAfterSeconds));
          const detail = `this client sent the inbox more than its quota of bytes per second; try again in ${budget.retryAfterSeconds} s`;
          return sendProblem(reply, problem(429, detail, 'inbox-quota'));
        }
        const record = await inbox.add({
          method: request.method,
          path: redactText(request.url),
          headers: redactHeaders(request.headers),
          content_type: request.headers['content-type'] ?? null,
          body: storableBody(body),
          size: body.length,
        });
        return reply.code(201).send({ id: record.id, received_at: record.received_at });
      });
    });
  };
}

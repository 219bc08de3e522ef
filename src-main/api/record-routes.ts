import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { WebhookInbox } from '../inbox/webhook-inbox';
import type { MailboxStore } from '../mailbox/mailbox-store';
import { parseInput } from './problems';

const MAX_BIGINT = 2n ** 63n - 1n;

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  // An ID is a PostgreSQL bigint: a larger number is no cursor this API gave out, not a 500.
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, 'must be a cursor this API gave out')
    .refine((cursor) => !/^\d+$/.test(cursor) || BigInt(cursor) <= MAX_BIGINT, {
      message: 'must be a cursor this API gave out',
      params: { rule: 'format' },
    })
    .optional(),
});

const MAX_INBOX_BODY_BYTES = 1024 * 1024;

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

/** The embedded mail sink's mailbox and the webhook inbox: what they received, newest first. */
export function recordRoutes(mailbox: MailboxStore, inbox: WebhookInbox) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/mailbox', async (request) => {
      const { limit, cursor } = parseInput(pageQuerySchema, request.query);
      return mailbox.list(limit, cursor);
    });

    app.get('/api/v1/inbox', async (request) => {
      const { limit, cursor } = parseInput(pageQuerySchema, request.query);
      return inbox.list(limit, cursor);
    });

    // The inbox takes any body of any type, read as bytes so that no body can fail the insert.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_INBOX_BODY_BYTES }, (_req, body, done) =>
        done(null, body),
      );
      scope.post('/api/v1/inbox/*', async (request, reply) => {
        const record = await inbox.add({
          method: request.method,
          path: request.url,
          headers: redactHeaders(request.headers),
          content_type: request.headers['content-type'] ?? null,
          body: Buffer.isBuffer(request.body) ? storableBody(request.body) : '',
        });
        return reply.code(201).send({ id: record.id, received_at: record.received_at });
      });
    });
  };
}

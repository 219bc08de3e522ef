import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WebhookInbox } from '../inbox/webhook-inbox';
import type { MailboxStore } from '../mailbox/mailbox-store';
import { parseInput } from './problems';

const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^\d{1,19}$/, 'must be a cursor this API gave out').optional(),
});

const MAX_INBOX_BODY_BYTES = 1024 * 1024;

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

    // The inbox takes any body: it records what a webhook sender sent, byte for byte.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_INBOX_BODY_BYTES }, (_req, body, done) =>
        done(null, body),
      );
      scope.post('/api/v1/inbox/*', async (request, reply) => {
        const record = await inbox.add({
          method: request.method,
          path: request.url,
          headers: request.headers,
          content_type: request.headers['content-type'] ?? null,
          body: typeof request.body === 'string' ? request.body : '',
        });
        return reply.code(201).send({ id: record.id, received_at: record.received_at });
      });
    });
  };
}

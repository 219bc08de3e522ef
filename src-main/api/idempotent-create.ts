import type { FastifyReply, FastifyRequest } from 'fastify';
import { IDEMPOTENCY_HEADER, readIdempotencyKey, type IdempotencyStore } from '../jobs/idempotency';

/**
 * Answers a create (202 with `location`) once per `Idempotency-Key`: the same key and body
 * replay the first answer (`idempotent-replayed: true`), another body is a 422. Keys are scoped
 * by `scope`, so a key used for a job and for a batch are two keys.
 */
export async function answerCreate<T extends { id: string }>(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { scope: string; location: (id: string) => string; idempotency?: IdempotencyStore },
  create: () => Promise<T>,
): Promise<FastifyReply> {
  const key = readIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
  const work = async () => ({ statusCode: 202, body: await create() });
  const { answer, replayed } =
    key && options.idempotency
      ? await options.idempotency.run(`${options.scope}${key}`, request.body, work)
      : { answer: await work(), replayed: false };
  const created = answer.body as T;
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(answer.statusCode).header('location', options.location(created.id)).send(created);
}

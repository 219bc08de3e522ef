import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../src-shared/problem';

/** Deepest nesting of objects and arrays a JSON body may have; no route's schema needs more than a few. */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests objects and arrays deeper than `max`; walked without recursion, so any depth is safe. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * JSON bodies as Fastify parses them, refused with a 400 naming `(body)` when nested deeper than
 * {@link MAX_JSON_DEPTH}: every later step (schemas, the idempotency fingerprint) may then recurse.
 */
export function refuseDeepJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (error, value) => {
      if (error) return done(error);
      if (!nestsDeeperThan(value, MAX_JSON_DEPTH)) return done(null, value);
      const message = `(body) must not nest objects and arrays more than ${MAX_JSON_DEPTH} deep`;
      done(new ValidationError([{ field: '(body)', rule: 'depth', message }]));
    });
  });
}

import { ANONYMOUS_ACTOR } from '../access/actor';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { outcomeOf, type AuditEntry } from '../../src-shared/audit-schemas';
import { auditParamsOf } from '../audit/audit-params';
import type { AuditRecorder } from '../audit/audit-recorder';
import { auditVerbOf, targetOfParams } from '../audit/audit-verbs';

/** An answer longer than this is not read for the ID it created (none of the creating routes answers so much). */
const MAX_ANSWER_CHARS = 64 * 1024;

/**
 * Records every changing request that reached a route (see audit-verbs.ts) once its answer is
 * made: a 404 or 405 for no route, and a dry run (`dry_run: true`, which changes nothing), are
 * not recorded. Recording only buffers, and a failure in it is logged, never the request's.
 */
export function auditHook(app: FastifyInstance, recorder: Pick<AuditRecorder, 'record'>, onLog?: (line: string) => void): void {
  app.addHook('onSend', async (request, reply, payload) => {
    try {
      const entry = auditEntryOf(request, reply, payload);
      if (entry) recorder.record(entry);
    } catch (error) {
      onLog?.(`audit trail: recording ${request.method} ${request.routeOptions.url} failed: ${(error as Error).message}`);
    }
  });
}

function auditEntryOf(request: FastifyRequest, reply: FastifyReply, payload: unknown): AuditEntry | null {
  const route = request.routeOptions.url;
  const verb = route === undefined ? null : auditVerbOf(request.method, route);
  if (verb === null || isDryRun(request.body)) return null;
  const answer = typeof payload === 'string' && payload.length <= MAX_ANSWER_CHARS ? parsed(payload) : null;
  const failed = reply.statusCode >= 400;
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: request.actor.name,
    role: request.actor === ANONYMOUS_ACTOR ? 'none' : request.actor.role,
    verb,
    target: targetOfParams(request.params) ?? (failed ? null : createdId(answer)),
    route: `${request.method} ${route}`,
    params: auditParamsOf(request.method === 'GET' ? request.query : request.body),
    result: {
      status: reply.statusCode,
      outcome: outcomeOf(reply.statusCode),
      title: failed ? textOf(answer?.title) : null,
      detail: failed ? problemDetail(answer) : null,
    },
  };
}

const isDryRun = (body: unknown): boolean => typeof body === 'object' && body !== null && (body as { dry_run?: unknown }).dry_run === true;

function parsed(payload: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What a creating route answered it made: a job's `id` (the book's `uuid`), a batch's, a subscription's… */
function createdId(answer: Record<string, unknown> | null): string | null {
  return textOf(answer?.id) ?? textOf(answer?.uuid) ?? textOf(answer?.name);
}

const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const MAX_DETAIL_CHARS = 1000;

/** A problem's detail and, for a validation, what each field broke (`payload.nope is not allowed`). */
function problemDetail(answer: Record<string, unknown> | null): string | null {
  const errors = Array.isArray(answer?.errors) ? answer.errors.map((error: { message?: unknown }) => textOf(error?.message)).filter(Boolean) : [];
  const detail = [textOf(answer?.detail), ...errors].filter(Boolean).join('; ');
  return detail ? detail.slice(0, MAX_DETAIL_CHARS) : null;
}

import { ANONYMOUS_ACTOR } from '../access/actor';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { outcomeOf, type AuditEntry } from '../../src-shared/audit-schemas';
import { AnonymousRows } from '../audit/anonymous-rows';
import { auditParamsOf, storableText } from '../audit/audit-params';
import type { AuditRecorder } from '../audit/audit-recorder';
import { auditVerbOf, targetOfParams } from '../audit/audit-verbs';
import { isDryRun } from '../guardrails/read-only-hook';

/** An answer longer than this is not read for the ID it created (none of the creating routes answers so much). */
const MAX_ANSWER_CHARS = 64 * 1024;
/** A target longer than this is cut: an ID or a name is far shorter, and the column is indexed. */
export const MAX_TARGET_CHARS = 200;
const MAX_TITLE_CHARS = 200;
const MAX_DETAIL_CHARS = 1000;

/**
 * Records every changing request that reached a route (see audit-verbs.ts) once its answer is
 * made: a 404 or 405 for no route, and a dry run (`dry_run: true`, which changes nothing), are
 * not recorded. Rows of requests without a valid token are bounded per client address (see
 * anonymous-rows.ts). Recording only buffers, and a failure in it is logged, never the request's.
 */
export function auditHook(app: FastifyInstance, recorder: Pick<AuditRecorder, 'record'>, onLog?: (line: string) => void): void {
  const anonymous = new AnonymousRows({ record: (entry) => recorder.record(entry) });
  app.addHook('onClose', async () => anonymous.close());
  app.addHook('onSend', async (request, reply, payload) => {
    try {
      const entry = auditEntryOf(request, reply, payload);
      if (entry && request.actor === ANONYMOUS_ACTOR) anonymous.record(entry, request.ip);
      else if (entry) recorder.record(entry);
    } catch (error) {
      onLog?.(`audit trail: recording ${request.method} ${request.routeOptions.url} failed: ${(error as Error).message}`);
    }
  });
}

function auditEntryOf(request: FastifyRequest, reply: FastifyReply, payload: unknown): AuditEntry | null {
  const route = request.routeOptions.url;
  const verb = route === undefined ? null : auditVerbOf(request.method, route);
  if (verb === null || isDryRun(request.method, route!, request.body)) return null;
  const answer = typeof payload === 'string' && payload.length <= MAX_ANSWER_CHARS ? parsed(payload) : null;
  const failed = reply.statusCode >= 400;
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: request.actor.name,
    role: request.actor === ANONYMOUS_ACTOR ? 'none' : request.actor.role,
    verb,
    target: storableOrNull(targetOfParams(request.params) ?? (failed ? null : createdId(answer)), MAX_TARGET_CHARS),
    route: storableText(`${request.method} ${route}`),
    params: auditParamsOf(request.method === 'GET' ? request.query : request.body),
    result: {
      status: reply.statusCode,
      outcome: outcomeOf(reply.statusCode),
      title: failed ? storableOrNull(textOf(answer?.title), MAX_TITLE_CHARS) : null,
      detail: failed ? problemDetail(answer) : null,
    },
  };
}

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

const storableOrNull = (text: string | null, maxChars: number): string | null => (text === null ? null : storableText(text, maxChars));

/** A problem's detail and, for a validation, what each field broke (`payload.nope is not allowed`). */
function problemDetail(answer: Record<string, unknown> | null): string | null {
  const errors = Array.isArray(answer?.errors) ? answer.errors.map((error: { message?: unknown }) => textOf(error?.message)).filter(Boolean) : [];
  const detail = [textOf(answer?.detail), ...errors].filter(Boolean).join('; ');
  return detail ? storableText(detail, MAX_DETAIL_CHARS) : null;
}

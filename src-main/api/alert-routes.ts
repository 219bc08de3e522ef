import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DEFAULT_ALERT_WINDOW_S,
  alertDefinitionErrors,
  createAlertSchemaOf,
  updateAlertSchemaOf,
  type AlertDefinition,
  type AlertRule,
} from '../../src-shared/alert-schemas';
import type { KindNames } from '../../src-shared/kinds';
import type { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import { ValidationError } from '../../src-shared/problem';
import { listQuerySchema } from '../../src-shared/subscription-schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { AlertFollower } from '../alerts/alert-feed';
import type { AlertStore, StoredAlertRule } from '../alerts/alert-store';
import { parseInput, problem, sendProblem } from './problems';
import { openSseResponse } from './sse-response';

const HEARTBEAT_MS = 15_000;

/** A rule without its webhook secret: shown only once, when it is created. */
function shown({ webhook_secret: _secret, ...rule }: StoredAlertRule): AlertRule {
  return rule;
}

function definitionOf(rule: AlertDefinition): AlertDefinition {
  const { name, type, kind, threshold, window_s, webhook_url, enabled } = rule;
  return { name, type, kind, threshold, window_s, webhook_url, enabled };
}

/**
 * Throws the 400 of a definition whose fields disagree (a kind a type refuses, a fraction above 1)
 * or whose webhook URL the outbound policy refuses.
 */
function checked(rule: AlertDefinition, outbound: OutboundPolicy | undefined): AlertDefinition {
  const errors = [...alertDefinitionErrors(rule), ...(outbound?.fieldErrors({ webhook_url: rule.webhook_url }) ?? [])];
  if (errors.length > 0) throw new ValidationError(errors);
  return rule;
}

const unknown = (reply: FastifyReply, id: string) => sendProblem(reply, problem(404, `no alert rule with id ${id}`, 'unknown-alert'));

/**
 * Alert rules: create (the webhook secret is returned once), list, read, update, delete; a
 * rule's episodes; and every fire and resolve as Server-Sent Events.
 */
export function alertRoutes(store: AlertStore, feed: AlertFollower | undefined, kinds: KindNames, outbound?: OutboundPolicy) {
  const createSchema = createAlertSchemaOf(kinds);
  const updateSchema = updateAlertSchemaOf(kinds);
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/alerts', async (request, reply) => {
      const body = parseInput(createSchema, request.body ?? undefined);
      const rule = checked({ ...body, kind: body.kind ?? null, window_s: body.window_s ?? DEFAULT_ALERT_WINDOW_S, webhook_url: body.webhook_url ?? null }, outbound);
      const created = await store.create(rule);
      return reply.code(201).header('location', `/api/v1/alerts/${created.id}`).send(created);
    });

    app.get('/api/v1/alerts', async () => ({ items: (await store.list()).map(shown), next_cursor: null }));

    if (feed) app.get('/api/v1/alerts/stream', (request, reply) => streamAlerts(request, reply, feed));

    app.get<{ Params: { id: string } }>('/api/v1/alerts/:id', async (request, reply) => {
      const { id } = request.params;
      const found = UUID_PATTERN.test(id) ? await store.get(id) : null;
      return found ? shown(found) : unknown(reply, id);
    });

    app.patch<{ Params: { id: string } }>('/api/v1/alerts/:id', async (request, reply) => {
      const { id } = request.params;
      const changes = parseInput(updateSchema, request.body ?? undefined);
      const found = UUID_PATTERN.test(id) ? await store.get(id) : null;
      if (!found) return unknown(reply, id);
      const updated = await store.update(id, checked({ ...definitionOf(found), ...changes }, changes.webhook_url === undefined ? undefined : outbound));
      return updated ? shown(updated) : unknown(reply, id);
    });

    app.delete<{ Params: { id: string } }>('/api/v1/alerts/:id', async (request, reply) => {
      const { id } = request.params;
      const deleted = UUID_PATTERN.test(id) && (await store.delete(id));
      return deleted ? reply.code(204).send() : unknown(reply, id);
    });

    app.get<{ Params: { id: string } }>('/api/v1/alerts/:id/events', async (request, reply) => {
      const { id } = request.params;
      const query = parseInput(listQuerySchema, request.query);
      if (!UUID_PATTERN.test(id) || !(await store.get(id))) return unknown(reply, id);
      return store.events(id, query.limit, query.cursor);
    });
  };
}

/** `GET /api/v1/alerts/stream`: each fire and resolve from now on, as `alert` events; a comment line every 15 s. */
async function streamAlerts(request: FastifyRequest, reply: FastifyReply, feed: AlertFollower): Promise<FastifyReply> {
  await feed.ready();
  const out = openSseResponse(reply);
  out.write(': following alerts\n\n');
  const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const close = (): void => {
    clearInterval(heartbeat);
    unfollow();
    if (!out.writableEnded) out.end();
  };
  const unfollow = feed.follow((notice) => out.write(`event: alert\ndata: ${JSON.stringify(notice)}\n\n`), close);
  request.raw.on('close', close);
  out.on('close', close);
  return reply;
}

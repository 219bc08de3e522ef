/**
 * The production guardrails on a real console whose profile mode the test sets (the profiles'
 * source stands in as a variable): read-only refuses every changing route of the OpenAPI
 * document, a writable production profile wants `confirm` on its destructive verbs, and a
 * development profile is as before.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChanging } from '../../src-main/access/access-rule';
import { passesReadOnly } from '../../src-main/guardrails/read-only-hook';
import { ENVIRONMENT_PROFILE_MODE, type ProfileMode } from '../../src-main/profiles/profile-mode';
import type { AuditPage } from '../../src-shared/audit-schemas';
import type { Problem } from '../../src-shared/problem';
import { callConsole, eventually, startTestConsole, type TestConsole } from '../support/console';

const READ_ONLY: ProfileMode = { id: 'prod-eu', name: 'prod-eu', environment: 'production', color: '#c62828', readOnly: true, reason: 'a production profile opens read-only until unlocked' };
const PRODUCTION: ProfileMode = { ...READ_ONLY, readOnly: false, reason: null };

let mode: ProfileMode = ENVIRONMENT_PROFILE_MODE;
let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({}, false, undefined, { profileMode: { current: () => mode } });
}, 60_000);
afterAll(async () => {
  await app?.dispose();
});

const send = (method: string, path: string, body?: unknown) => callConsole<Problem & Record<string, unknown>>(app, method, path, body);

/** The status and problem type of one request, its body left unread past the headers (a stream is cut). */
async function answerOf(method: string, path: string): Promise<{ status: number; type: string | null }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const response = await fetch(`${app.url}${path}`, { method, signal: controller.signal });
    const problemType = response.headers.get('content-type')?.startsWith('application/problem+json') ? ((await response.json()) as Problem).type : null;
    return { status: response.status, type: problemType };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Every documented route, as registered (`:id`) and with dummies in its path. */
async function documentedRoutes(): Promise<{ method: string; route: string; path: string }[]> {
  const document = (await send('GET', '/api/v1/openapi.json')).body as unknown as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({
      method: method.toUpperCase(),
      route: path.replace('{path}', '*').replace(/\{([^}]+)\}/g, ':$1'),
      path: path.replace('{path}', 'guardrails/test').replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
    })),
  );
}

/** A 400 naming `confirm` (rule `confirm`) whose message says what to type. */
function expectConfirmRefusal(answer: { status: number; body: Problem }, target: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.type).toBe('urn:jobdeck:problem:confirm-required');
  expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'confirm', rule: 'confirm', message: expect.stringContaining(`type ${target} to confirm`) })]);
  expect(answer.body.detail).toContain('prod-eu');
}

describe('a read-only profile', () => {
  beforeAll(() => {
    mode = READ_ONLY;
  });

  it('answers its mode at GET /api/v1/mode', async () => {
    const answer = await send('GET', '/api/v1/mode');
    expect(answer).toEqual({ status: 200, body: { id: 'prod-eu', name: 'prod-eu', environment: 'production', color: '#c62828', read_only: true, reason: READ_ONLY.reason } });
  });

  it('refuses every changing route of the document with a 403 naming the mode; the reads and the exempt routes pass', async () => {
    const routes = await documentedRoutes();
    expect(routes.length).toBeGreaterThan(50);
    let refused = 0;
    for (const { method, route, path } of routes) {
      const answer = await answerOf(method, path);
      if (isChanging(method, route) && !passesReadOnly(method, route)) {
        refused++;
        expect(answer, `${method} ${path}`).toEqual({ status: 403, type: 'urn:jobdeck:problem:read-only-mode' });
      } else {
        expect(answer.type, `${method} ${path} answered ${answer.status}`).not.toBe('urn:jobdeck:problem:read-only-mode');
      }
    }
    expect(refused).toBeGreaterThan(30);
    expect(await answerOf('GET', '/job/mail')).toEqual({ status: 403, type: 'urn:jobdeck:problem:read-only-mode' });
  });

  it('says which profile and why, and lets the workers\' callbacks land in the inbox', async () => {
    const refused = await send('POST', '/api/v1/jobs', { kind: 'email', payload: { subject: 'refused' } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('profile "prod-eu" is read-only: a production profile opens read-only until unlocked');
    expect((await send('POST', '/api/v1/inbox/guardrails/callback', { ok: true })).status).toBe(201);
  });

  it('lets through what changes nothing in production: a validation and a bulk dry run', async () => {
    expect((await send('POST', '/api/v1/jobs/validate', { kind: 'log', payload: { client_time: 1 } })).status).toBe(200);
    expect((await send('POST', '/api/v1/operations', { action: 'cancel', ids: [randomUUID()], dry_run: true })).status).toBe(200);
    expect((await send('POST', '/api/v1/dead-letters/discard', { ids: [randomUUID()], dry_run: true })).status).toBe(200);
    expect((await send('POST', '/api/v1/operations', { action: 'cancel', ids: [randomUUID()] })).status).toBe(403);
  });

  it('records the refusal in the audit trail', async () => {
    await send('POST', '/api/v1/saved-views', { name: 'refused view', query: 'status:FAILED' });
    const row = await eventually(async () => {
      const page = (await send('GET', `/api/v1/audit?q=${encodeURIComponent('verb:saved-views.create result:refused')}`)).body as unknown as AuditPage;
      return page.items[0];
    }, 5_000, 'the refused row');
    expect(row).toMatchObject({ actor: 'local', route: 'POST /api/v1/saved-views', result: { status: 403, outcome: 'refused' } });
    expect(row.result.detail).toContain('read-only');
  });
});

describe('a writable production profile', () => {
  beforeAll(() => {
    mode = PRODUCTION;
  });

  it('purges a queue only with the kind\'s name as confirm (the letter in the path too)', async () => {
    expectConfirmRefusal(await send('POST', '/api/v1/queues/log/purge'), 'log');
    expectConfirmRefusal(await send('POST', '/api/v1/queues/A/purge', { confirm: 'email' }), 'log');
    expect((await send('POST', '/api/v1/queues/A/purge', { confirm: 'log' })).status).toBe(200);
  });

  it('cancels in bulk only with the profile\'s name; a dry run and a retry need none', async () => {
    const ids = [randomUUID()];
    expect((await send('POST', '/api/v1/operations', { action: 'cancel', ids, dry_run: true })).status).toBe(200);
    expect((await send('POST', '/api/v1/operations', { action: 'retry', ids })).status).toBe(202);
    expectConfirmRefusal(await send('POST', '/api/v1/operations', { action: 'cancel', ids }), 'prod-eu');
    expectConfirmRefusal(await send('POST', '/api/v1/operations', { action: 'cancel', ids, confirm: 'prod' }), 'prod-eu');
    expect((await send('POST', '/api/v1/operations', { action: 'cancel', ids, confirm: 'prod-eu' })).status).toBe(202);
  });

  it('discards dead letters only with the profile\'s name; a requeue needs none', async () => {
    const ids = [randomUUID()];
    expect((await send('POST', '/api/v1/dead-letters/discard', { ids, dry_run: true })).status).toBe(200);
    expect((await send('POST', '/api/v1/dead-letters/requeue', { ids })).status).toBe(202);
    expectConfirmRefusal(await send('POST', '/api/v1/dead-letters/discard', { ids }), 'prod-eu');
    expect((await send('POST', '/api/v1/dead-letters/discard', { ids, confirm: 'prod-eu' })).status).toBe(202);
  });

  it("deletes a subscription only with its URL, as a query parameter or in the body", async () => {
    const url = `${app.url}/api/v1/inbox/guardrails`;
    const create = async () => (await send('POST', '/api/v1/subscriptions', { url })).body.id as string;
    const [first, second] = [await create(), await create()];
    expectConfirmRefusal(await send('DELETE', `/api/v1/subscriptions/${first}`), url);
    expectConfirmRefusal(await send('DELETE', `/api/v1/subscriptions/${first}?confirm=${encodeURIComponent(first)}`), url);
    expect((await send('DELETE', `/api/v1/subscriptions/${first}?confirm=${encodeURIComponent(url)}`)).status).toBe(204);
    expect((await send('DELETE', `/api/v1/subscriptions/${second}`, { confirm: url })).status).toBe(204);
    expect((await send('DELETE', `/api/v1/subscriptions/${second}`)).status).toBe(404);
  });

  it("deletes a schedule only with its ID", async () => {
    const created = await send('POST', '/api/v1/schedules', { kind: 'email', payload: { subject: 'nightly' }, cron: '0 3 * * *' });
    const id = created.body.id as string;
    expectConfirmRefusal(await send('DELETE', `/api/v1/schedules/${id}?confirm=nightly`), id);
    expect((await send('DELETE', `/api/v1/schedules/${id}?confirm=${id}`)).status).toBe(204);
    expect((await send('DELETE', `/api/v1/schedules/${randomUUID()}`)).status).toBe(404);
  });

  it('documents confirm where it applies', async () => {
    const document = (await send('GET', '/api/v1/openapi.json')).body as unknown as { paths: Record<string, Record<string, { parameters: { name: string }[]; requestBody?: { required: boolean } }>> };
    expect(document.paths['/api/v1/schedules/{id}']!.delete!.parameters.map((p) => p.name)).toContain('confirm');
    expect(document.paths['/api/v1/subscriptions/{id}']!.delete!.parameters.map((p) => p.name)).toContain('confirm');
    expect(document.paths['/api/v1/queues/{kind}/purge']!.post!.requestBody!.required).toBe(false);
  });
});

describe('a development profile', () => {
  beforeAll(() => {
    mode = ENVIRONMENT_PROFILE_MODE;
  });

  it('takes the destructive verbs without confirm, and ignores one', async () => {
    expect((await send('POST', '/api/v1/queues/email/purge')).status).toBe(200);
    expect((await send('POST', '/api/v1/queues/email/purge', { confirm: 'anything' })).status).toBe(200);
    expect((await send('POST', '/api/v1/operations', { action: 'cancel', ids: [randomUUID()] })).status).toBe(202);
    const created = await send('POST', '/api/v1/schedules', { kind: 'email', payload: { subject: 'dev' }, cron: '0 3 * * *' });
    expect((await send('DELETE', `/api/v1/schedules/${created.body.id as string}`)).status).toBe(204);
    expect((await send('GET', '/api/v1/mode')).body).toMatchObject({ id: 'environment', environment: 'development', read_only: false, reason: null });
  });
});

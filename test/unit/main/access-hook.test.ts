import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessOptions } from '../../../src-main/access/access-hook';
import type { AuditEntry } from '../../../src-shared/audit-schemas';
import { acceptsQueryToken, requirementOf } from '../../../src-main/access/access-rule';
import { consoleAccess } from '../../../src-main/access/console-access';
import { TokenStore } from '../../../src-main/access/token-store';
import { StartupError } from '../../../src-main/core/startup-error';
import { API_HOST, apiWith, call, expectFieldProblem, expectProblem } from '../../support/api-app';

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = new TokenStore(join(dir, 'tokens.json'));
const writer = store.create('ops', 'write')!.token;
const reader = store.create('viewer', 'read')!.token;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The page's files, as the build makes them. */
const rendererDir = join(dir, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Jobdeck</title>');
writeFileSync(join(rendererDir, 'assets', 'index.js'), 'export {};');

const appWith = (required: boolean) => {
  const access: AccessOptions = { required, identify: (token) => store.identify(token) };
  return apiWith({ access, tokens: store, health: async () => ({ ok: true }), rendererDir });
};

describe('access rule', () => {
  it('asks read of any route (one outside /api/ too), write of changes, the book job GETs and the token list', () => {
    expect(requirementOf('GET', '/reports/:id')).toBe('read');
    expect(requirementOf('POST', '/hooks/:id')).toBe('write');
    expect(requirementOf('POST', '/api/v1/inbox/jobs/1')).toBe('read');
    expect(requirementOf('GET', '/api/v1/inbox')).toBe('read');
    expect(requirementOf('GET', '/job/status')).toBe('read');
    expect(requirementOf('HEAD', '/api/v1/health')).toBe('read');
    expect(requirementOf('GET', '/metrics')).toBe('read');
    for (const path of ['/job/database', '/job/callback', '/job/mail', '/api/v1/tokens']) expect(requirementOf('GET', path)).toBe('write');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(requirementOf(method, '/api/v1/jobs')).toBe('write');
  });

  it('takes access_token on the streams, the WebSocket and the export only', () => {
    for (const path of ['/api/v1/events', '/api/v1/ws', '/api/v1/alerts/stream', '/api/v1/operations/x/events', '/api/v1/jobs/export']) {
      expect(acceptsQueryToken('GET', path)).toBe(true);
    }
    expect(acceptsQueryToken('GET', '/api/v1/jobs')).toBe(false);
    expect(acceptsQueryToken('POST', '/api/v1/events')).toBe(false);
  });
});

describe('bound to loopback', async () => {
  const app = await appWith(false);
  afterAll(() => app.close());

  it('lets a request without a token through as local, as before tokens', async () => {
    const response = await call(app, 'GET', '/api/v1/access');
    expect(response.json()).toEqual({ required: false, actor: { name: 'local', role: 'write' } });
  });

  it('identifies a request by the token it carries, and refuses a wrong one (401) and a read token changing things (403)', async () => {
    expect((await call(app, 'GET', '/api/v1/access', undefined, bearer(reader))).json().actor).toEqual({ name: 'viewer', role: 'read' });
    const wrong = await call(app, 'GET', '/api/v1/access', undefined, bearer('jdk_wrong'));
    expectProblem(wrong, 401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(expectProblem(await call(app, 'POST', '/api/v1/tokens', { name: 'x', role: 'read' }, bearer(reader)), 403).detail).toMatch(/needs a write token/);
  });

  it('takes a header that is not a token of ours as no token: another scheme, or the credentials a sender meant for the inbox', async () => {
    const basic = await app.inject({ method: 'GET', url: '/api/v1/access', headers: { host: API_HOST, authorization: 'Basic dTpw' } });
    expect(basic.json().actor).toEqual({ name: 'local', role: 'write' });
    const toInbox = await app.inject({ method: 'POST', url: '/api/v1/inbox/hooks/x', headers: { host: API_HOST, authorization: 'Bearer s3cret-of-the-sender' } });
    expect(toInbox.statusCode).not.toBe(401);
  });
});

describe('bound beyond loopback', async () => {
  const app = await appWith(true);
  afterAll(() => app.close());

  it('answers 401 without a token, naming the command that makes one', async () => {
    const response = await call(app, 'GET', '/api/v1/health');
    expect(expectProblem(response, 401).detail).toMatch(/npm run tokens -- create <name> --role write/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="jobdeck"');
    expectProblem(await call(app, 'GET', '/api/v1/health', undefined, { authorization: 'Basic abc' }), 401);
  });

  it('judges the route the router matched, so an encoded path cannot slip past', async () => {
    for (const url of ['/%61pi/v1/health', '/%6Aob/status?uuid=x', '/api/v1/%74okens']) {
      expectProblem(await call(app, 'GET', url), 401);
    }
    expectProblem(await call(app, 'GET', '/%6Aob/database?client_time=1', undefined, bearer(reader)), 403);
  });

  it("opens only the page's files and paths no route has (404); a known path under another method needs a token", async () => {
    for (const url of ['/', '/index.html', '/assets/index.js']) expect((await call(app, 'GET', url)).statusCode, url).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/', headers: { host: API_HOST } })).statusCode).toBe(200);
    for (const url of ['/api/v1/no-such-route', '/favicon.ico']) expectProblem(await call(app, 'GET', url), 404);
    expectProblem(await call(app, 'PUT', '/api/v1/health'), 401);
    expectProblem(await call(app, 'PUT', '/api/v1/health', undefined, bearer(reader)), 403);
  });

  it('takes Bearer with several spaces (RFC 6750 1*SP), and names the error of each refusal', async () => {
    expect((await call(app, 'GET', '/api/v1/access', undefined, { authorization: `Bearer   ${reader}` })).statusCode).toBe(200);
    const errorOf = async (url: string, headers: Record<string, string> = {}) => {
      const response = await call(app, 'GET', url, undefined, headers);
      expectProblem(response, 401);
      return response.headers['www-authenticate'];
    };
    const queryToken = await errorOf(`/api/v1/health?access_token=${reader}`);
    expect(queryToken).toBe('Bearer realm="jobdeck", error="invalid_request"');
    expect(await errorOf('/api/v1/health', { authorization: 'Bearer' })).toBe('Bearer realm="jobdeck", error="invalid_request"');
    expect(await errorOf('/api/v1/health', { authorization: 'Bearer a b' })).toBe('Bearer realm="jobdeck", error="invalid_request"');
    expect(await errorOf('/api/v1/health', { authorization: 'Basic abc' })).toBe('Bearer realm="jobdeck"');
    expect(await errorOf('/api/v1/health', bearer('jdk_wrong'))).toBe('Bearer realm="jobdeck", error="invalid_token"');
    expect(await errorOf('/api/v1/events?access_token=jdk_wrong')).toBe('Bearer realm="jobdeck", error="invalid_token"');
  });

  it('takes access_token only where a header cannot be sent', async () => {
    expect(expectProblem(await call(app, 'GET', `/api/v1/health?access_token=${reader}`), 401).detail).toMatch(/only by the SSE streams/);
  });

  it('manages tokens for a write token: list without hashes, create once, revoke', async () => {
    const created = await call(app, 'POST', '/api/v1/tokens', { name: 'ci-reader', role: 'read' }, bearer(writer));
    expect(created.statusCode).toBe(201);
    const { token, ...summary } = created.json<{ token: string; name: string }>();
    expect(token).toMatch(/^jdk_/);
    expect(summary).toMatchObject({ name: 'ci-reader', role: 'read' });
    const listed = await call(app, 'GET', '/api/v1/tokens', undefined, bearer(writer));
    expect(listed.body).not.toMatch(/hash|jdk_/);
    expect(listed.json().items.map((t: { name: string }) => t.name)).toEqual(['ops', 'viewer', 'ci-reader']);
    expect((await call(app, 'GET', '/api/v1/access', undefined, bearer(token))).json().actor.name).toBe('ci-reader');
    expectProblem(await call(app, 'POST', '/api/v1/tokens', { name: 'ci-reader', role: 'write' }, bearer(writer)), 409);
    expect((await call(app, 'DELETE', '/api/v1/tokens/ci-reader', undefined, bearer(writer))).statusCode).toBe(204);
    expectProblem(await call(app, 'DELETE', '/api/v1/tokens/ci-reader', undefined, bearer(writer)), 404);
    expectProblem(await call(app, 'GET', '/api/v1/access', undefined, bearer(token)), 401);
  });

  it('names the field and the rule of a bad token request', async () => {
    expectFieldProblem(await call(app, 'POST', '/api/v1/tokens', { name: 'Bad Name', role: 'read' }, bearer(writer)), 'name', 'format');
    expectFieldProblem(await call(app, 'POST', '/api/v1/tokens', { name: 'window', role: 'read' }, bearer(writer)), 'name', 'reserved');
    expectFieldProblem(await call(app, 'POST', '/api/v1/tokens', { name: 'workers', role: 'read' }, bearer(writer)), 'name', 'reserved');
    expectFieldProblem(await call(app, 'POST', '/api/v1/tokens', { name: 'x', role: 'admin' }, bearer(writer)), 'role', 'enum');
    expectFieldProblem(await call(app, 'POST', '/api/v1/tokens', { name: 'x', role: 'read', extra: 1 }, bearer(writer)), 'extra', 'unknown');
  });

  it('logs an unexpected error with its tokens masked', async () => {
    const lines: string[] = [];
    const failing = await apiWith({
      access: { required: true, identify: (token) => store.identify(token) },
      onLog: (line) => lines.push(line),
      health: async () => {
        throw new Error(`GET /api/v1/events?access_token=${reader} failed; authorization: Bearer ${writer}`);
      },
    });
    expectProblem(await call(failing, 'GET', '/api/v1/health', undefined, bearer(writer)), 500);
    await failing.close();
    expect(lines.join('\n')).toMatch(/unexpected error/);
    expect(lines.join('\n')).not.toContain(reader);
    expect(lines.join('\n')).not.toContain(writer);
  });
});

describe('the actor of a request refused before the access hook', () => {
  it('is anonymous (audited with role none) beyond loopback, not local', async () => {
    const rows: AuditEntry[] = [];
    const access: AccessOptions = { required: true, identify: (token) => store.identify(token) };
    const app = await apiWith({ access, audit: { store: {} as never, recorder: { record: (entry) => rows.push(entry) } } });
    try {
      expectProblem(await call(app, 'POST', '/api/v1/jobs', { kind: 'email', payload: {} }, { ...bearer(writer), host: 'evil.example' }), 403);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: 'anonymous', role: 'none', result: { status: 403 } });
    } finally {
      await app.close();
    }
  });
});

describe('console access', () => {
  it('refuses to start beyond loopback without a token, naming the command', () => {
    const empty = join(dir, 'none.json');
    expect(() => consoleAccess('0.0.0.0', empty)).toThrow(StartupError);
    expect(() => consoleAccess('0.0.0.0', empty)).toThrow(/npm run tokens -- create <name> --role write/);
    expect(consoleAccess('127.0.0.1', empty).options.required).toBe(false);
  });

  it("accepts the window's launch token as `window`, role write", () => {
    const { options } = consoleAccess('0.0.0.0', store.path, 'jdk_launch-token');
    expect(options.required).toBe(true);
    expect(options.identify('jdk_launch-token')).toEqual({ name: 'window', role: 'write' });
    expect(options.identify(reader)).toEqual({ name: 'viewer', role: 'read' });
    expect(options.identify('jdk_other')).toBeNull();
  });
});

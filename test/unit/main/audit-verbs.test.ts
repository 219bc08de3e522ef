import { describe, expect, it } from 'vitest';
import { operationsOf } from '../../../src-main/api/openapi';
import { auditParamsOf, MAX_PARAMS_BYTES, storableText } from '../../../src-main/audit/audit-params';
import { auditVerbOf, targetOfParams } from '../../../src-main/audit/audit-verbs';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';

const OPERATIONS = operationsOf(builtinKindRegistry());
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Changing routes that are deliberately not recorded: the webhook inbox and the validation dry run. */
const UNRECORDED = new Set(['POST /api/v1/inbox/*', 'POST /api/v1/jobs/validate']);
const BOOK_SUBMITS = ['/job/database', '/job/callback', '/job/mail'];

describe('the audit verbs', () => {
  it('maps every changing route of the OpenAPI document to a verb of its own, and no read', () => {
    const verbs = new Map<string, string>();
    for (const { method, path } of OPERATIONS) {
      const route = `${method} ${path}`;
      const verb = auditVerbOf(method, path);
      if (UNRECORDED.has(route)) expect(verb, route).toBeNull();
      else if (READS.has(method) && !BOOK_SUBMITS.includes(path)) expect(verb, route).toBeNull();
      else {
        expect(verb, route).toMatch(/^[a-z-]+(\.[a-z-]+)+$/);
        if (!BOOK_SUBMITS.includes(path) && path !== '/api/v1/jobs') {
          expect(verbs.get(verb!), `${route} and ${verbs.get(verb!)} share ${verb}`).toBeUndefined();
          verbs.set(verb!, route);
        }
      }
    }
    expect(verbs.size).toBeGreaterThan(25);
  });

  it('names the routes as an operator says them, and routes yet to come', () => {
    expect(auditVerbOf('POST', '/api/v1/jobs')).toBe('jobs.submit');
    for (const book of BOOK_SUBMITS) expect(auditVerbOf('GET', book)).toBe('jobs.submit');
    expect(auditVerbOf('HEAD', '/job/database')).toBeNull();
    expect(auditVerbOf('GET', '/job/status')).toBeNull();
    expect(auditVerbOf('POST', '/api/v1/jobs/:id/cancel')).toBe('jobs.cancel');
    expect(auditVerbOf('POST', '/api/v1/queues/:kind/purge')).toBe('queues.purge');
    expect(auditVerbOf('DELETE', '/api/v1/subscriptions/:id')).toBe('subscriptions.delete');
    expect(auditVerbOf('POST', '/api/v1/subscriptions')).toBe('subscriptions.create');
    expect(auditVerbOf('PATCH', '/api/v1/schedules/:id')).toBe('schedules.update');
    expect(auditVerbOf('POST', '/api/v1/dead-letters/requeue')).toBe('dead-letters.requeue');
    expect(auditVerbOf('PUT', '/api/v1/kinds/:kind/limits')).toBe('flow.limits');
    expect(auditVerbOf('POST', '/api/v1/tokens')).toBe('tokens.create');
    expect(auditVerbOf('DELETE', '/api/v1/tokens/:name')).toBe('tokens.delete');
  });

  it('takes the target from the route parameters', () => {
    expect(targetOfParams({ id: 'abc' })).toBe('abc');
    expect(targetOfParams({ id: 's1', delivery_id: 'd1' })).toBe('s1/d1');
    expect(targetOfParams({})).toBeNull();
    expect(targetOfParams(undefined)).toBeNull();
  });
});

describe('the audit parameters', () => {
  it('replaces secrets wherever they sit, and URL passwords and query tokens', () => {
    const kept = auditParamsOf({
      kind: 'callback',
      payload: { callback_url: 'https://user:hunter2@example.com/hook?token=t0p&x=1', secret: 's3cret', nested: { Password: 'p', api_key: 'k' } },
      on_complete: { url: 'http://127.0.0.1/x', secret: 'batch-secret' },
      authorization: 'Bearer abc',
    });
    const text = JSON.stringify(kept);
    for (const secret of ['hunter2', 't0p', 's3cret', 'batch-secret', 'Bearer abc', '"p"', '"k"']) expect(text).not.toContain(secret);
    expect(kept).toMatchObject({ kind: 'callback', payload: { callback_url: 'https://user:***@example.com/hook?token=***&x=1', secret: '***' } });
  });

  it('cuts long strings and arrays, and keeps only the size of a body past the bound', () => {
    const kept = auditParamsOf({ subject: 'x'.repeat(2000), ids: Array.from({ length: 30 }, (_, i) => String(i)) }) as { subject: string; ids: string[] };
    expect(kept.subject.length).toBeLessThan(600);
    expect(kept.ids).toHaveLength(21);
    expect(kept.ids[20]).toBe('… 10 more');
    const huge = auditParamsOf(Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`k${i}`, 'y'.repeat(400)])));
    expect(huge).toEqual({ truncated: true, bytes: expect.any(Number) });
    expect((huge as { bytes: number }).bytes).toBeGreaterThan(MAX_PARAMS_BYTES);
    expect(auditParamsOf(undefined)).toBeNull();
    expect(auditParamsOf({})).toBeNull();
  });

  it('stores what PostgreSQL refuses in text and jsonb (NUL, lone surrogates) as U+FFFD, in strings and keys', () => {
    expect(auditParamsOf({ 'k\0': ['a\0b', '\ud800x', 'y\udc00', '😀'] })).toEqual({ 'k\uFFFD': ['a\uFFFDb', '\uFFFDx', 'y\uFFFD', '😀'] });
    expect(storableText('ab😀', 3)).toBe('ab\uFFFD…');
    expect((auditParamsOf({ s: `${'x'.repeat(499)}😀` }) as { s: string }).s).not.toMatch(/[\ud800-\udfff]/);
  });
});

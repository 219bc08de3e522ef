/**
 * What the v1 job routes refuse before any store is asked, on the app factory with a job service
 * on placeholder stores (a request that reached one would fail with a 500). What the real
 * console accepts, and the cursors PostgreSQL refuses, are in test/integration/.
 */
import { describe, expect, it } from 'vitest';
import { RECIPIENT_RULE } from '../../../src-shared/email-address';
import { JobService } from '../../../src-main/jobs/job-service';
import { UNUSED, apiForTests, call, expectFieldProblem, expectProblem } from '../../support/api-app';
import { nested } from '../../support/bad-input';

const app = apiForTests({ jobs: new JobService(UNUSED) });

describe('a deeply nested JSON body', () => {
  it.each<Record<string, string>>([{ 'idempotency-key': 'deep-job' }, {}])('10,000 deep to /api/v1/jobs %j is a 400 naming (body) and the depth rule', async (headers) => {
    expectFieldProblem(await call(app(), 'POST', '/api/v1/jobs', nested(10_000), headers), '(body)', 'depth');
  });
});

describe('a body', () => {
  it('has every bad field named', async () => {
    const body = expectProblem(await call(app(), 'POST', '/api/v1/jobs', { kind: 'email', payload: { email_address: 'x', cc: 1 } }), 400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'payload.email_address', rule: 'format' }),
        expect.objectContaining({ field: 'payload.cc', rule: 'unknown' }),
      ]),
    );
    const kind = expectProblem(await call(app(), 'POST', '/api/v1/jobs', { payload: {} }), 400);
    expect(kind.errors).toMatchObject([{ field: 'kind', rule: 'required' }]);
  });

  it('with an RFC 3339 client_time whose UTC instant leaves the years 0001-9999 is a 400 naming payload.client_time', async () => {
    for (const time of ['9999-12-31T23:59:59-14:00', '0000-01-01T00:00:00+14:00']) {
      const problem = expectProblem(await call(app(), 'POST', '/api/v1/jobs', { kind: 'log', payload: { client_time: time } }), 400);
      expect(problem.errors?.map((e) => e.field)).toEqual(['payload.client_time']);
    }
  });

  it('with a recipient no mail system takes is a 400 saying what is allowed', async () => {
    for (const recipient of ['ops@example.com, dev@example.com', '"ops team"@example.com', 'ops@[127.0.0.1]', 'ops@example..com', 'Ops\r\n <ops@example.com>']) {
      const response = await call(app(), 'POST', '/api/v1/jobs', { kind: 'email', payload: { email_address: recipient } });
      expect(response.statusCode, recipient).toBe(400);
      expect(response.json<{ errors: unknown[] }>().errors, recipient).toEqual([
        { field: 'payload.email_address', rule: 'format', message: `payload.email_address ${RECIPIENT_RULE}` },
      ]);
    }
  });
});

describe('an Idempotency-Key', () => {
  it('that is empty, too long or not printable ASCII is a 400 naming it', async () => {
    for (const key of ['x'.repeat(256), 'caf\u00e9', 'tab\there', '']) {
      const response = await call(app(), 'POST', '/api/v1/jobs', { kind: 'log', payload: { client_time: 1 } }, { 'idempotency-key': key });
      expect(expectProblem(response, 400).errors?.map((e) => e.field)).toContain('idempotency-key');
    }
  });
});

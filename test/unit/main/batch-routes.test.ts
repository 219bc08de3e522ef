/**
 * What POST /api/v1/batches refuses before a batch service is asked, on the app factory with
 * placeholder services: a request that reached one would fail with a 500, so nothing is created.
 * A child's payload is checked by the batch service: that case, and that the real console creates
 * nothing, are in test/integration/batches.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { apiForTests, call, expectProblem } from '../../support/api-app';
import { nested } from '../../support/bad-input';

const app = apiForTests();

describe('POST /api/v1/batches refuses bad input', () => {
  it.each([
    [{ jobs: [] }, 'jobs', 'min'],
    [{ jobs: [{ kind: 'log', payload: { client_time: 1 } }, { kind: 'fax' }] }, 'jobs.1.kind', 'enum'],
    [{ jobs: [{ kind: 'log', payload: { client_time: 1 } }], on_complete: { callback_url: 'file:///etc/passwd' } }, 'on_complete.callback_url', 'format'],
  ])('%j → 400 naming %s (%s)', async (body, field, rule) => {
    const problem = expectProblem(await call(app(), 'POST', '/api/v1/batches', body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
  });

  it('10,000 deep, with an Idempotency-Key, is a 400 naming (body) and the depth rule', async () => {
    const problem = expectProblem(await call(app(), 'POST', '/api/v1/batches', nested(10_000), { 'idempotency-key': 'deep-batch' }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ field: '(body)', rule: 'depth' })]);
  });
});

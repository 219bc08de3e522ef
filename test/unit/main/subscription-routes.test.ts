/**
 * What POST /api/v1/subscriptions refuses before the webhook store is asked, on the app factory
 * with placeholder services: a request that reached one would fail with a 500, so nothing is
 * created. That the real console lists nothing after bad input is in test/integration/subscriptions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { apiForTests, call, expectFieldProblem, expectProblem } from '../../support/api-app';
import { nested } from '../../support/bad-input';

const app = apiForTests();

describe('POST /api/v1/subscriptions refuses bad input', () => {
  it.each([
    [{ url: 'ftp://example.com/hook' }, 'url', 'format'],
    [{ url: 'http://127.0.0.1/x', events: { kinds: ['fax'] } }, 'events.kinds.0', 'format'],
    [{ url: 'http://127.0.0.1/x', events: { statuses: ['SOON'] } }, 'events.statuses.0', 'enum'],
    [{ url: 'http://127.0.0.1/x', secret: 'hunter2' }, 'secret', 'format'],
    [{ url: 'http://127.0.0.1/x', colour: 'red' }, 'colour', 'unknown'],
  ])('%j → 400 naming %s (%s)', async (body, field, rule) => {
    const problem = expectProblem(await call(app(), 'POST', '/api/v1/subscriptions', body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
  });

  it('10,000 deep is a 400 naming (body) and the depth rule', async () => {
    expectFieldProblem(await call(app(), 'POST', '/api/v1/subscriptions', nested(10_000)), '(body)', 'depth');
  });
});

/** What the queue routes refuse before the queue inspector is asked, on the app factory. */
import { describe, expect, it } from 'vitest';
import { apiForTests, call, expectProblem } from '../../support/api-app';

const app = apiForTests();

describe('POST /api/v1/queues/:kind/purge', () => {
  it('refuses an unknown kind with a 400 naming it', async () => {
    const body = expectProblem(await call(app(), 'POST', '/api/v1/queues/sms/purge'), 400);
    expect(body.errors?.[0]?.field).toBe('kind');
  });
});

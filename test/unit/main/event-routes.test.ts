/** What GET /api/v1/events refuses before the relay is asked, on the app factory. */
import { describe, expect, it } from 'vitest';
import { apiForTests, call, expectFieldProblem, expectProblem } from '../../support/api-app';

const app = apiForTests();

describe('GET /api/v1/events', () => {
  it('refuses a malformed Last-Event-ID by name', async () => {
    const body = expectProblem(await call(app(), 'GET', '/api/v1/events', undefined, { 'last-event-id': 'yesterday' }), 400);
    expect(body.errors![0]!.field).toBe('last_event_id');
  });

  it.each(['18446744073709551616-0', '0-18446744073709551616'])('refuses last_event_id %s (past 2^64-1) by name', async (id) => {
    expectFieldProblem(await call(app(), 'GET', `/api/v1/events?last_event_id=${id}`), 'last_event_id', 'format');
  });
});

/**
 * What the book routes (/job/...) refuse before any store is asked, on the app factory with a
 * job service on placeholder stores (a request that reached one would fail with a 500). The
 * refusal the real console answers, and what it accepts, are in test/integration/api.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { JobService } from '../../../src-main/jobs/job-service';
import { UNUSED, apiForTests, call, expectProblem } from '../../support/api-app';

const app = apiForTests({ jobs: new JobService(UNUSED) });

describe('GET /job/...', () => {
  it('refuses a malformed client_time or duration_ms by name', async () => {
    const bad = expectProblem(await call(app(), 'GET', '/job/database?client_time=yesterday'), 400);
    expect(bad.errors).toEqual([{ field: 'client_time', rule: 'format', message: 'client_time must be a Unix time in whole seconds' }]);
    const duration = expectProblem(await call(app(), 'GET', '/job/callback?duration_ms=soon'), 400);
    expect(duration.errors).toMatchObject([{ field: 'duration_ms', rule: 'type' }]);
  });

  it('answers a missing uuid with a 400 naming it', async () => {
    const missing = expectProblem(await call(app(), 'GET', '/job/status'), 400);
    expect(missing.errors).toMatchObject([{ field: 'uuid', rule: 'required' }]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../../src-main/access/token-store';
import type { ProfileMode } from '../../../src-main/profiles/profile-mode';
import { apiWith, call, expectProblem } from '../../support/api-app';

const READ_ONLY: ProfileMode = { id: 'p1', name: 'prod-eu', environment: 'production', color: null, readOnly: true, reason: 'not unlocked for this run' };

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-read-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = new TokenStore(join(dir, 'tokens.json'));
const reader = store.create('viewer', 'read')!.token;

/** The API on a read-only profile, with stand-ins of the profile routes the connections own. */
async function readOnlyApp() {
  // No profile routes of their own (undefined), so the stand-ins below take their place.
  const app = await apiWith({ profiles: undefined, profileMode: { current: () => READ_ONLY }, access: { required: false, identify: (token) => store.identify(token) } });
  for (const verb of ['activate', 'unlock', 'test']) app.post(`/api/v1/connections/:id/${verb}`, async () => ({ verb }));
  app.patch('/api/v1/connections/:id', async () => ({}));
  return app;
}

describe('the read-only hook', () => {
  it('lets an operator manage, leave, unlock or test a profile (the console\'s own settings), and refuses a change to production', async () => {
    const app = await readOnlyApp();
    for (const verb of ['activate', 'unlock', 'test']) expect((await call(app, 'POST', `/api/v1/connections/p1/${verb}`)).json()).toEqual({ verb });
    expect((await call(app, 'PATCH', '/api/v1/connections/p1', {})).statusCode).toBe(200);
    const refused = expectProblem(await call(app, 'POST', '/api/v1/saved-views', { name: 'x', query: '' }), 403);
    expect(refused).toMatchObject({ type: 'urn:jobdeck:problem:read-only-mode', detail: expect.stringContaining('profile "prod-eu" is read-only: not unlocked for this run') });
    await app.close();
  });

  it('takes dry_run only where a route has dry runs: a cancel carrying it is still refused', async () => {
    const app = await readOnlyApp();
    expectProblem(await call(app, 'POST', '/api/v1/jobs/00000000-0000-4000-8000-000000000000/cancel', { dry_run: true }), 403);
    expectProblem(await call(app, 'POST', '/api/v1/saved-views', { dry_run: true }), 403);
    await app.close();
  });

  it("answers a weak token's 403 first, and leaves unknown paths to the 404 and 405", async () => {
    const app = await readOnlyApp();
    const weak = expectProblem(await call(app, 'POST', '/api/v1/jobs', {}, { authorization: `Bearer ${reader}` }), 403);
    expect(weak).toMatchObject({ type: 'urn:jobdeck:problem:role-refused' });
    expectProblem(await call(app, 'POST', '/api/v1/nothing-here'), 404);
    expectProblem(await call(app, 'DELETE', '/api/v1/health'), 405);
    await app.close();
  });
});

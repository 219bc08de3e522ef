/**
 * An activation whose new settings fail while the previous ones fail to reopen too: no core
 * serves, every route answers 503 but the connection profiles', and the 502 says so; activating
 * a profile that connects brings the console back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionProfile, ProfileModeReport } from '../../src-shared/profile-schemas';
import type { Problem } from '../../src-shared/problem';
import { callConsole, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';

const redis = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_SERVICES.redisUrl).port || 6379) });
let app: TestConsole;

beforeAll(async () => {
  await redis.listen();
  app = await startTestConsole({ REDIS_URL: redis.urlFor(TEST_SERVICES.redisUrl) }, false);
}, 60_000);

afterAll(async () => {
  redis.heal();
  await app?.dispose();
  await redis.close();
}, 60_000);

describe('a restart that fails twice', () => {
  it('lets only the connection profiles through, says no profile serves, and an activation brings the console back', async () => {
    const broken = await callConsole<ConnectionProfile>(app, 'POST', '/api/v1/connections', {
      name: 'Broken',
      environment: 'development',
      amqp_url: TEST_SERVICES.amqpUrl,
      redis_url: 'redis://127.0.0.1:1',
      database_url: TEST_SERVICES.databaseUrl,
      namespace: app.namespace,
      workers: {},
    });
    redis.cut();
    const failed = await callConsole<Problem>(app, 'POST', `/api/v1/connections/${broken.body.id}/activate`);
    expect(failed.status).toBe(502);
    expect(failed.body.detail).toMatch(/failed to reopen too/);
    expect(failed.body.detail).not.toMatch(/stays active/);
    expect((await callConsole(app, 'GET', '/api/v1/jobs')).status).toBe(503);
    expect((await callConsole(app, 'GET', '/api/v1/connections')).status).toBe(200);

    redis.heal();
    const back = await callConsole<ProfileModeReport>(app, 'POST', '/api/v1/connections/environment/activate');
    expect(back.status).toBe(200);
    expect((await callConsole(app, 'GET', '/api/v1/jobs')).status).toBe(200);
  }, 60_000);
});

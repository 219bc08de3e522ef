import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { RequestGate } from '../../../src-main/core/request-gate';

/** An app with one slow route whose answer the test releases, behind the gate. */
async function gatedApp() {
  const app = Fastify();
  const gate = new RequestGate();
  gate.install(app);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  app.get('/slow', async () => {
    await held;
    return { ok: true };
  });
  app.get('/fast', async () => ({ ok: true }));
  await app.ready();
  return { app, gate, release };
}

describe('RequestGate', () => {
  it('answers 503 with Retry-After and a problem while shut, and lets requests in again once open', async () => {
    const { app, gate } = await gatedApp();
    gate.shut('the console is restarting');
    const refused = await app.inject({ method: 'GET', url: '/fast' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ type: 'urn:jobdeck:problem:restarting', detail: 'the console is restarting' });
    gate.open();
    expect((await app.inject({ method: 'GET', url: '/fast' })).statusCode).toBe(200);
    await app.close();
  });

  it('waits for the requests already inside, up to its deadline', async () => {
    const { app, gate, release } = await gatedApp();
    const slow = app.inject({ method: 'GET', url: '/slow' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    gate.shut('restarting');
    expect(await gate.drained(30)).toBe(1);
    const draining = gate.drained(5_000);
    release();
    expect(await draining).toBe(0);
    expect((await slow).statusCode).toBe(200);
    await app.close();
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobMessage } from '../../src-shared/wire';
import { CallbackHandler } from '../../src-worker/handlers/callback-handler';

// A real HTTP receiver on loopback: answers by path, or never answers on /hang.
let server: Server;
let base: string;
const received: { path: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      if (request.url === '/hang') return;
      response.writeHead(request.url === '/fail' ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function job(path: string, durationMs = 0): JobMessage {
  return {
    v: 1,
    uuid: `job-${path.slice(1)}`,
    type: 'B',
    kind: 'callback',
    extra_data: { callback_url: `${base}${path}`, duration_ms: durationMs },
    created_at: new Date().toISOString(),
  };
}

const run = (handler: CallbackHandler, message: JobMessage, progress: number[] = []) =>
  handler.run({ job: message, attempt: 1, log: () => undefined, reportProgress: async (p) => void progress.push(p), signal: new AbortController().signal });

describe('kind B callback', () => {
  it('reports progress through the long task, then POSTs the result with a stable delivery ID', async () => {
    const progress: number[] = [];
    const result = await run(new CallbackHandler(), job('/ok', 2_100), progress);
    expect(progress.length).toBe(2);
    expect(progress[0]!).toBeGreaterThan(0);
    expect(progress[1]!).toBeLessThan(100);
    expect(result).toMatchObject({ status_code: 204, delivery_id: 'job-ok', duration_ms: 2100 });
    const delivery = received.find((r) => r.path === '/ok')!;
    expect(delivery.headers['webhook-id']).toBe('job-ok');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(JSON.parse(delivery.body)).toMatchObject({ uuid: 'job-ok', type: 'B', status: 'DONE', result: { duration_ms: 2100 } });
  });

  it('signs the POST per Standard Webhooks when the job gives a secret, with the job ID as webhook-id', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const message = job('/signed');
    (message.extra_data as { secret?: string }).secret = secret;
    await run(new CallbackHandler(), message);
    const delivery = received.find((r) => r.path === '/signed')!;
    expect(delivery.headers['webhook-id']).toBe('job-signed');
    const verified = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
    expect(verified).toMatchObject({ uuid: 'job-signed', status: 'DONE' });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 8).toString('base64')}`).verify(delivery.body, delivery.headers as Record<string, string>)).toThrow();
  });

  it('fails with the status a receiver answered', async () => {
    await expect(run(new CallbackHandler(), job('/fail'))).rejects.toThrow(`callback to ${base}/fail answered HTTP 500`);
  });

  it('fails with the timeout when the receiver never answers', async () => {
    await expect(run(new CallbackHandler(200), job('/hang'))).rejects.toThrow(
      `callback to ${base}/hang failed: no answer within 200 ms`,
    );
  });

  it('fails with the reason when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const message = job('/x');
    (message.extra_data as { callback_url: string }).callback_url = `http://127.0.0.1:${port}/x`;
    await expect(run(new CallbackHandler(), message)).rejects.toThrow(
      `callback to http://127.0.0.1:${port}/x failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src-main/api/openapi';
import type { HealthSummary } from '../../../src-shared/console-records';
import { ApiContract, type OpenApiDocument } from '../../support/api-contract';
import { API_HOST, apiWith } from '../../support/api-app';

/** The answers a real console gives only in trouble (a dependency down, a bug, a body too large), checked against the document. */
const contract = new ApiContract(openApiDocument() as unknown as OpenApiDocument);

async function answer(app: Awaited<ReturnType<typeof apiWith>>, method: 'GET' | 'POST', url: string, payload?: string) {
  try {
    const response = await app.inject({ method, url, payload, headers: { host: API_HOST, 'content-type': 'text/plain' } });
    const type = String(response.headers['content-type'] ?? '');
    return contract.check(method, url, response.statusCode, type, response.body === '' ? undefined : response.json());
  } finally {
    await app.close();
  }
}

const UNAVAILABLE: HealthSummary = {
  ok: false,
  status: 'unavailable',
  dependencies: {
    rabbitmq: { up: true, error: null },
    redis: { up: false, error: 'connect ECONNREFUSED 127.0.0.1:6379' },
    postgresql: { up: true, error: null },
    smtp: { up: true, error: null },
  },
  workers: { log: { configured: 1, ready: 1 }, callback: { configured: 0, ready: 0 }, email: { configured: 0, ready: 0 } },
};

describe('answers in trouble match the OpenAPI document', () => {
  it('health with a dependency down: 503 with the health report', async () => {
    const app = await apiWith({ health: async () => UNAVAILABLE });
    expect(await answer(app, 'GET', '/api/v1/health')).toMatchObject({ status: 503, body: { status: 'unavailable' } });
  });

  it('a dependency down on a read: 503 problem; a bug: 500 problem', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const down = await apiWith({ jobs: { read: async () => Promise.reject(refused) } as never });
    expect(await answer(down, 'GET', '/api/v1/jobs/x')).toMatchObject({ status: 503, body: { type: 'urn:jobdeck:problem:dependency-unavailable' } });
    const bug = await apiWith({ jobs: { read: async () => Promise.reject(new Error('a bug')) } as never, onLog: () => undefined });
    expect(await answer(bug, 'GET', '/api/v1/jobs/x')).toMatchObject({ status: 500 });
  });

  it('a body past the inbox limit: 413 problem', async () => {
    const app = await apiWith();
    expect(await answer(app, 'POST', '/api/v1/inbox/big', 'x'.repeat(1024 * 1024 + 1))).toMatchObject({ status: 413 });
  });

  it('an answer that drifts from its schema is named', () => {
    expect(() => contract.check('GET', '/api/v1/health', 503, 'application/json', { ...UNAVAILABLE, uptime: 1 })).toThrow(/GET \/api\/v1\/health 503 drifted.*additionalProperty.*uptime/);
    expect(() => contract.check('GET', '/api/v1/health', 200, 'text/html', '<p>ok</p>')).toThrow(/answered text\/html, documented application\/json/);
    expect(() => contract.check('DELETE', '/api/v1/health', 405, 'application/problem+json', {})).toThrow(/not in the document/);
  });
});

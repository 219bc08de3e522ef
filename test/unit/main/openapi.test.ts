import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiPath, operationsOf, registeredRoutes } from '../../../src-main/api/openapi';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { apiWith } from '../../support/api-app';

const api = () => apiWith();

describe('GET /api/v1/openapi.json', () => {
  it('documents every registered route, and only those', async () => {
    const app = await api();
    try {
      const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { host: '127.0.0.1:8000' } });
      expect(response.statusCode).toBe(200);
      const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe('3.1.0');
      const documented = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      const routes = registeredRoutes(app).map((r) => `${r.method} ${openApiPath(r.path)}`);
      expect(routes.length).toBeGreaterThan(20);
      expect(new Set(documented)).toEqual(new Set(routes));
      for (const book of ['/job/database', '/job/callback', '/job/mail', '/job/status']) expect(document.paths[book]?.get).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('describes request bodies and queries from the schemas that validate them', async () => {
    const app = await api();
    try {
      const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { host: '127.0.0.1:8000' } })).json() as {
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> }; parameters: { name: string; required: boolean }[] }>>;
      };
      const batch = document.paths['/api/v1/batches']!.post!.requestBody!.content['application/json']!.schema;
      expect(batch.required).toEqual(['jobs']);
      expect(Object.keys(batch.properties!)).toEqual(['jobs', 'on_complete']);
      const headerNames = (path: string, method: string) =>
        document.paths[path]![method]!.parameters.filter((p) => (p as { in?: string }).in === 'header').map((p) => p.name);
      expect(headerNames('/api/v1/jobs', 'post')).toEqual(['Idempotency-Key']);
      expect(headerNames('/api/v1/batches', 'post')).toEqual(['Idempotency-Key']);
      expect(headerNames('/api/v1/events', 'get')).toEqual(['Last-Event-ID']);
      const database = document.paths['/job/database']!.get!.parameters;
      expect(database).toContainEqual(expect.objectContaining({ name: 'client_time', required: true }));
      expect(operationsOf(builtinKindRegistry()).every((op) => op.summary.length > 0)).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('the request examples of GET /api/v1/openapi.json', () => {
  it('offers an example body for every body that is not a WebSocket message, and each is one the route takes', () => {
    const OPERATIONS = operationsOf(builtinKindRegistry());
    const withBody = OPERATIONS.filter((op) => op.body && op.method !== 'GET');
    expect(withBody.length).toBeGreaterThan(3);
    for (const op of withBody) expect(op.body!.safeParse(op.example).success, `${op.method} ${op.path}`).toBe(true);
    const document = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>> };
    expect(document.paths['/api/v1/jobs']!.post!.requestBody!.content['application/json']!.example).toEqual(OPERATIONS.find((op) => op.path === '/api/v1/jobs' && op.method === 'POST')!.example);
  });
});

describe('the answers of GET /api/v1/openapi.json', () => {
  type Responses = Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  const document = openApiDocument() as {
    paths: Record<string, Record<string, { responses: Responses }>>;
    components: { schemas: Record<string, unknown> };
  };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [`${method} ${path}`, op.responses] as const));

  it('gives every operation a problem+json schema for 4XX and 5XX', () => {
    for (const [, responses] of operations) {
      for (const range of ['4XX', '5XX']) expect(responses[range]?.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    expect(document.components.schemas.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail'] });
  });

  it('gives every JSON answer a schema, and every reference resolves to a component', () => {
    for (const [operation, responses] of operations) {
      for (const [status, { content = {} }] of Object.entries(responses)) {
        if (content['application/json']) expect(content['application/json'].schema, `${operation} ${status}`).toBeDefined();
      }
    }
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(([, name]) => name!);
    expect(refs.length).toBeGreaterThan(30);
    for (const name of refs) expect(document.components.schemas, name).toHaveProperty(name);
  });

  it('answers a book job in the book shape and a created subscription with its secret, a read one without', () => {
    const answer = (path: string, method: string, status: string) => document.paths[path]![method]!.responses[status]!.content!['application/json']!.schema;
    expect(answer('/job/database', 'get', '200')).toEqual({ $ref: '#/components/schemas/BookJob' });
    expect(document.components.schemas.BookJob).toMatchObject({ required: ['uuid', 'type', 'extra_data'] });
    expect(answer('/api/v1/subscriptions', 'post', '201')).toEqual({ $ref: '#/components/schemas/CreatedSubscription' });
    expect(document.components.schemas.CreatedSubscription).toMatchObject({ required: expect.arrayContaining(['secret']) });
    expect(document.components.schemas.Subscription).toMatchObject({ additionalProperties: false });
    expect(document.components.schemas.Subscription).not.toHaveProperty('properties.secret');
    expect(answer('/api/v1/health', 'get', '503')).toEqual({ $ref: '#/components/schemas/Health' });
  });

  it("gives the data of each Server-Sent Event and each WebSocket message a schema", () => {
    const events = document.paths['/api/v1/events']!.get!.responses['200']!.content!['text/event-stream'] as { 'x-sse-events'?: Record<string, unknown> };
    expect(events['x-sse-events']).toEqual({
      job: { $ref: '#/components/schemas/JobEvent' },
      batch: { $ref: '#/components/schemas/BatchEvent' },
      resync: { $ref: '#/components/schemas/ResyncEvent' },
    });
    const ws = document.paths['/api/v1/ws']!.get!.responses['101'] as { 'x-ws-messages'?: unknown };
    expect(ws['x-ws-messages']).toEqual({ $ref: '#/components/schemas/WsServerMessage' });
    expect(document.components.schemas.JobEvent).toMatchObject({ properties: { job: { $ref: '#/components/schemas/Job' } } });
  });
});

import { describe, expect, it } from 'vitest';
import { OPERATIONS, openApiPath, registeredRoutes } from '../../../src-main/api/openapi';
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
      expect(OPERATIONS.every((op) => op.summary.length > 0)).toBe(true);
    } finally {
      await app.close();
    }
  });
});

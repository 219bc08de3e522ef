import { describe, expect, it } from 'vitest';
import type { ApiDocument } from '../../../src-shared/bridge';
import { operationsByTag } from '../../../src-renderer/store/api-doc-slice';

describe('API document', () => {
  it('groups the operations by tag, methods in a stable order, with parameters and the success answer', () => {
    const document: ApiDocument = {
      openapi: '3.1.0',
      info: { title: 'Jobdeck API', version: '1' },
      paths: {
        '/api/v1/jobs': {
          post: { summary: 'Submit a job', tags: ['jobs'], requestBody: {}, responses: { '202': { description: 'the job' }, '4XX': {} } },
          get: { summary: 'List jobs', tags: ['jobs'], parameters: [{ name: 'limit', in: 'query' }], responses: { '200': { description: 'a page' } } },
        },
        '/api/v1/batches/{id}': { get: { summary: 'A batch', tags: ['batches'], parameters: [{ name: 'id', in: 'path', required: true }] } },
      },
    };
    const groups = operationsByTag(document);
    expect(groups.map(([tag]) => tag)).toEqual(['jobs', 'batches']);
    expect(groups[0]![1].map((e) => `${e.method} ${e.path}`)).toEqual(['GET /api/v1/jobs', 'POST /api/v1/jobs']);
    expect(groups[0]![1][1]).toMatchObject({ hasBody: true, success: { status: '202', description: 'the job' } });
    expect(groups[1]![1][0]!.parameters).toEqual([{ name: 'id', in: 'path', required: true }]);
  });
});

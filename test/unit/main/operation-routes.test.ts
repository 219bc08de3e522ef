/**
 * What POST /api/v1/operations refuses before the operation service is asked, on the app factory
 * with placeholder services: a request that reached one would fail with a 500. A query that does
 * not parse, the drift 409 and the runs themselves are in test/integration/bulk-operations.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MAX_OPERATION_IDS, driftMargin } from '../../../src-shared/operation-schemas';
import { apiForTests, call, expectProblem } from '../../support/api-app';

const app = apiForTests();
const ID = '00000000-0000-4000-8000-000000000000';

describe('POST /api/v1/operations refuses bad input', () => {
  it.each([
    [{ action: 'replay', query: 'status:FAILED', dry_run: true }, 'action', 'enum'],
    [{ query: 'status:FAILED', dry_run: true }, 'action', 'enum'],
    [{ action: 'retry', dry_run: true }, 'query', 'one-of'],
    [{ action: 'retry', query: 'status:FAILED', ids: [ID], dry_run: true }, 'query', 'one-of'],
    [{ action: 'retry', query: 'status:FAILED' }, 'expected', 'required'],
    [{ action: 'retry', ids: ['not-a-job'], dry_run: true }, 'ids.0', 'format'],
    [{ action: 'retry', ids: [], dry_run: true }, 'ids', 'min'],
    [{ action: 'retry', query: 'status:FAILED', expected: -1 }, 'expected', 'min'],
    [{ action: 'retry', query: 'status:FAILED', dry_run: true, force: true }, 'force', 'unknown'],
  ])('%j → 400 naming %s (%s)', async (body, field, rule) => {
    const problem = expectProblem(await call(app(), 'POST', '/api/v1/operations', body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
  });

  it(`refuses more than ${MAX_OPERATION_IDS} ids with a 400 naming ids (max)`, async () => {
    const ids = Array.from({ length: MAX_OPERATION_IDS + 1 }, () => ID);
    const problem = expectProblem(await call(app(), 'POST', '/api/v1/operations', { action: 'retry', ids, dry_run: true }), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'ids', rule: 'max' }));
  });

  it('names the allowed actions', async () => {
    const problem = expectProblem(await call(app(), 'POST', '/api/v1/operations', { action: 'replay', ids: [ID] }), 400);
    expect(problem.errors?.[0]?.message).toContain('"retry", "cancel"');
  });

  it('lists with limit and cursor like every list', async () => {
    const problem = expectProblem(await call(app(), 'GET', '/api/v1/operations?limit=501'), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: 'limit', rule: 'max' }));
  });
});

describe('the drift margin', () => {
  it.each([
    [0, 10],
    [500, 10],
    [1000, 10],
    [1001, 11],
    [100_000, 1000],
  ])('for %i expected jobs is %i', (expected, margin) => {
    expect(driftMargin(expected)).toBe(margin);
  });
});

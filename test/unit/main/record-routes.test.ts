/** What the mailbox and webhook inbox lists refuse before their stores are asked, on the app factory. */
import { describe, expect, it } from 'vitest';
import { apiForTests, call, expectFieldProblem, expectProblem } from '../../support/api-app';

const app = apiForTests();

describe.each(['inbox', 'mailbox'])('/api/v1/%s', (list) => {
  it('refuses bad paging by name', async () => {
    const cursor = expectProblem(await call(app(), 'GET', `/api/v1/${list}?cursor=abc`), 400);
    expect(cursor.errors).toMatchObject([{ field: 'cursor', rule: 'format' }]);
    const limit = expectProblem(await call(app(), 'GET', `/api/v1/${list}?limit=0`), 400);
    expect(limit.errors).toMatchObject([{ field: 'limit', rule: 'min' }]);
  });

  it('refuses a cursor past 2^63-1 as a 400 naming cursor', async () => {
    expectFieldProblem(await call(app(), 'GET', `/api/v1/${list}?cursor=9223372036854775808`), 'cursor', 'format');
    expectFieldProblem(await call(app(), 'GET', `/api/v1/${list}?cursor=9999999999999999999`), 'cursor', 'format');
  });
});

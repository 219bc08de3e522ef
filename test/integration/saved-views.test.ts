import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedView } from '../../src-shared/saved-view-schemas';
import { startTestConsole, type TestConsole } from '../support/console';

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0' });
}, 60_000);
afterAll(async () => {
  await app?.dispose();
});

const post = (body: unknown) =>
  fetch(`${app.url}/api/v1/saved-views`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const remove = (id: string) => fetch(`${app.url}/api/v1/saved-views/${id}`, { method: 'DELETE' });

async function listViews(): Promise<SavedView[]> {
  const response = await fetch(`${app.url}/api/v1/saved-views`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: SavedView[] }).items;
}

async function problemOf(response: Response): Promise<{ detail: string; errors?: { field: string; rule: string; message: string }[] }> {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as { detail: string; errors?: { field: string; rule: string; message: string }[] };
}

describe('saved views', () => {
  it('are created, listed by name, and deleted; a name is unique', async () => {
    const created = await post({ name: '  Failed callbacks  ', query: 'kind:callback status:FAILED error:ECONNREFUSED' });
    expect(created.status).toBe(201);
    const view = (await created.json()) as SavedView;
    expect(view).toMatchObject({ name: 'Failed callbacks', query: 'kind:callback status:FAILED error:ECONNREFUSED' });
    expect(created.headers.get('location')).toBe(`/api/v1/saved-views/${view.id}`);
    const other = (await (await post({ name: 'All retrying', query: 'status:RETRYING' })).json()) as SavedView;
    expect((await listViews()).map((listed) => listed.name)).toEqual(['All retrying', 'Failed callbacks']);

    const taken = await post({ name: 'Failed callbacks', query: 'status:FAILED' });
    expect(taken.status).toBe(409);
    expect((await problemOf(taken)).errors).toContainEqual(expect.objectContaining({ field: 'name', rule: 'unique' }));

    expect((await remove(view.id)).status).toBe(204);
    expect((await remove(view.id)).status).toBe(404);
    expect(await listViews()).toEqual([other]);
    expect((await remove(other.id)).status).toBe(204);
    expect(await listViews()).toEqual([]);
  });

  it.each([
    [{ query: 'status:FAILED' }, 'name', 'required'],
    [{ name: '', query: 'status:FAILED' }, 'name', 'min'],
    [{ name: 'x'.repeat(81), query: 'status:FAILED' }, 'name', 'max'],
    [{ name: 'broken' }, 'query', 'required'],
    [{ name: 'broken', query: 'status:' }, 'query', 'syntax'],
    [{ name: 'broken', query: 'created:>yesterday' }, 'query', 'syntax'],
    [{ name: 'extra', query: '', colour: 'red' }, 'colour', 'unknown'],
  ])('%j → 400 naming %s (%s), and saves nothing', async (body, field, rule) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await listViews()).toEqual([]);
  });

  it('says where a query that does not parse went wrong', async () => {
    const problem = await problemOf(await post({ name: 'broken', query: 'status:FAILED created:>soon' }));
    expect(problem.errors?.[0]?.message).toMatch(/^query column \d+: /);
  });
});

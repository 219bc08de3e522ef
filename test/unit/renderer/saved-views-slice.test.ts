import { describe, expect, it } from 'vitest';
import type { SavedView } from '../../../src-shared/saved-view-schemas';
import { setupStore } from './store-fixture';

const view = (name: string, query: string): SavedView => ({ id: `id-${name}`, name, query, created_at: '2026-12-07T02:00:00.000Z' });

describe('saved views slice', () => {
  it('saves a view in name order, picks one as the search alone, and deletes it', async () => {
    const { bridge, store } = setupStore();
    bridge.listSavedViews.mockResolvedValue({ items: [view('Retrying', 'status:RETRYING')], next_cursor: null });
    await store.getState().loadSavedViews();
    bridge.createSavedView.mockResolvedValue({ ok: true, view: view('Failed', 'status:FAILED') });

    expect(await store.getState().saveView('Failed', 'status:FAILED')).toBe(true);
    expect(store.getState().savedViews.data?.map((saved) => saved.name)).toEqual(['Failed', 'Retrying']);

    store.getState().setFilter({ status: 'DONE', kind: 'log' });
    store.getState().pickSavedView(view('Failed', 'status:FAILED'));
    expect(store.getState().filter).toEqual({ status: null, kind: null, search: 'status:FAILED' });

    bridge.deleteSavedView.mockResolvedValue({ ok: true });
    expect(await store.getState().deleteSavedView('id-Failed')).toBe(true);
    expect(store.getState().savedViews.data?.map((saved) => saved.name)).toEqual(['Retrying']);
  });

  it('keeps a refused save (a taken name) for the form, and lists nothing new', async () => {
    const { bridge, store } = setupStore();
    const problem = { type: 'urn:jobdeck:problem:saved-view-exists', title: 'Conflict', status: 409, detail: 'taken', errors: [{ field: 'name', rule: 'unique', message: 'name "Failed" is taken by another saved view' }] };
    bridge.createSavedView.mockResolvedValue({ ok: false, problem });
    expect(await store.getState().saveView('Failed', 'status:FAILED')).toBe(false);
    expect(store.getState().savedViewAction).toMatchObject({ target: 'Failed', pending: false, problem });
    expect(store.getState().savedViews.data).toBeNull();
  });
});

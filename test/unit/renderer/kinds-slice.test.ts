import { describe, expect, it } from 'vitest';
import { selectors } from '../../../src-renderer/store/selectors';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { kindInfo } from '../../../src-shared/kind-records';
import { setupStore } from './store-fixture';

const RESIZE = { ...kindInfo(builtinKindRegistry().entry('email').definition), name: 'resize', type: null, handler: 'command' as const };

describe('kinds slice', () => {
  it('names the built-in kinds until the console says which kinds it has, then every one of them', async () => {
    const { bridge, store } = setupStore();
    bridge.listKinds.mockResolvedValue({ kinds: [...builtinKindRegistry().entries.map(({ definition }) => kindInfo(definition)), RESIZE] });
    expect(selectors.kindNames(store.getState())).toEqual(['log', 'callback', 'email']);

    store.getState().start();
    await expect.poll(() => store.getState().kinds.status).toBe('loaded');

    const names = selectors.kindNames(store.getState());
    expect(names).toEqual(['log', 'callback', 'email', 'resize']);
    expect(selectors.kindNames(store.getState())).toBe(names);
    expect(bridge.listKinds).toHaveBeenCalledTimes(1);
  });

  it('keeps the built-in kinds when the kinds cannot be read, saying why', async () => {
    const { bridge, store } = setupStore();
    bridge.listKinds.mockRejectedValue(new Error('console away'));
    await store.getState().loadKinds();
    expect(store.getState().kinds).toMatchObject({ status: 'failed', error: expect.stringContaining('console away') });
    expect(selectors.kindNames(store.getState())).toEqual(['log', 'callback', 'email']);
  });
});

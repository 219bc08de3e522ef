import { describe, expect, it } from 'vitest';
import { selectors } from '../../../src-renderer/store/selectors';
import { submitLabel } from '../../../src-renderer/views/submit/JobForm';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';
import { kindInfo, type KindInfo } from '../../../src-shared/kind-records';
import { problem, renderConsole, setupStore } from './store-fixture';

/** A user kind as `GET /api/v1/kinds` lists it. */
const RESIZE: KindInfo = {
  name: 'resize',
  type: null,
  description: 'Resizes an image',
  payload_schema: {
    type: 'object',
    required: ['url', 'width'],
    properties: { url: { type: 'string' }, width: { type: 'integer', minimum: 1 }, format: { enum: ['png', 'jpeg'] } },
  },
  handler: 'command',
  max_attempts: null,
  timeout_ms: null,
  workers: null,
  prefetch: null,
};

const refusal = {
  ...problem(400, 'The request is not valid'),
  errors: [{ field: 'payload.width', rule: 'minimum', message: 'payload.width must be >= 1' }],
};

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

  it('reads the kinds again when the live feed opens: a console that restarted may have another kinds file', async () => {
    const { bridge, setConnection, store } = setupStore();
    store.getState().start();
    await expect.poll(() => store.getState().kinds.status).toBe('loaded');
    bridge.listKinds.mockResolvedValue({ kinds: [RESIZE] });

    setConnection('live');

    await expect.poll(() => selectors.kindNames(store.getState())).toEqual(['resize']);
    expect(bridge.listKinds).toHaveBeenCalledTimes(2);
  });

  it('keeps the built-in kinds when the kinds cannot be read, saying why', async () => {
    const { bridge, store } = setupStore();
    bridge.listKinds.mockRejectedValue(new Error('console away'));
    await store.getState().loadKinds();
    expect(store.getState().kinds).toMatchObject({ status: 'failed', error: expect.stringContaining('console away') });
    expect(selectors.kindNames(store.getState())).toEqual(['log', 'callback', 'email']);
  });
});

describe('dry run of a submit', () => {
  it("keeps the API's refusal as the kind's problem, and creates nothing", async () => {
    const { bridge, store } = setupStore();
    bridge.validateJob.mockResolvedValueOnce({ ok: false, problem: refusal });

    expect(await store.getState().checkJob('resize', { url: 'a', width: 0 })).toBe(false);

    expect(bridge.validateJob).toHaveBeenCalledExactlyOnceWith({ kind: 'resize', payload: { url: 'a', width: 0 } });
    expect(bridge.submitJob).not.toHaveBeenCalled();
    expect(store.getState().submit.resize?.problem).toEqual(refusal);
    expect(store.getState().checks.resize).toEqual({ checking: false, validJson: null });
  });

  it('remembers the payload the API accepted, and clears the last problem', async () => {
    const { bridge, store } = setupStore();
    bridge.validateJob.mockResolvedValueOnce({ ok: false, problem: refusal });
    await store.getState().checkJob('resize', { width: 0 });
    bridge.validateJob.mockResolvedValueOnce({ ok: true, valid: { kind: 'resize', payload: { url: 'a', width: 2 } } });

    expect(await store.getState().checkJob('resize', '{"url": "a", "width": 2}')).toBe(true);

    expect(store.getState().checks.resize).toEqual({ checking: false, validJson: '{"url":"a","width":2}' });
    expect(store.getState().submit.resize?.problem).toBeNull();
  });

  it('refuses JSON text that does not parse without asking the API', async () => {
    const { bridge, store } = setupStore();

    expect(await store.getState().checkJob('resize', '{"url":')).toBe(false);

    expect(bridge.validateJob).not.toHaveBeenCalled();
    expect(store.getState().submit.resize?.problem?.errors?.[0]).toMatchObject({ field: 'payload', rule: 'json' });
  });
});

describe('Submit view', () => {
  it("lists every kind of the registry: the built-in kinds' own forms, then a user kind's generated form", async () => {
    const { bridge, store } = setupStore();
    bridge.listKinds.mockResolvedValue({ kinds: [...builtinKindRegistry().entries.map(({ definition }) => kindInfo(definition)), RESIZE] });
    await store.getState().loadKinds();
    store.getState().navigate('submit');
    store.setState((state) => ({ submit: { ...state.submit, resize: { submitting: false, problem: refusal, lastJobId: null, lastCount: 0, progress: null } } }));

    const html = renderConsole(store);

    for (const label of ['Submit log job (A)', 'Submit callback job (B)', 'Submit email job (C)', 'Submit resize job']) {
      expect(html).toContain(`>${label}</button>`);
    }
    expect(submitLabel('resize')).toBe('Submit resize job');
    expect(html).toContain('placeholder="now (at submit)"');
    expect(html).toMatch(/>resize<\/h3><p class="muted">Resizes an image<\/p>/);
    expect(html).toMatch(/name="width" value=""\/><\/div><p id="[^"]+-error" class="field-error">width must be &gt;= 1<\/p>/);
    expect(html).toMatch(/<select [^>]*name="format"/);
    expect(html).toContain('>Check with the API</button>');
  });

  it('opens the raw JSON editor for a kind whose payload schema has no properties to show', async () => {
    const { bridge, store } = setupStore();
    const anything = { ...RESIZE, name: 'anything', payload_schema: { type: 'object', additionalProperties: true } };
    bridge.listKinds.mockResolvedValue({ kinds: [anything] });
    await store.getState().loadKinds();
    store.getState().navigate('submit');

    const html = renderConsole(store);

    expect(html).toMatch(/<textarea [^>]*name="payload"[^>]*>\{\}<\/textarea>/);
    expect(html).toMatch(/<input type="checkbox" checked=""\/> Edit as raw JSON/);
    expect(html).not.toContain('Submit log job (A)');
  });
});

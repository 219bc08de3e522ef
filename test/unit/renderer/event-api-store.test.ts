import { describe, expect, it } from 'vitest';
import type { ApiDocument } from '../../../src-shared/bridge';
import type { Batch, BatchChild } from '../../../src-shared/batch-schemas';
import type { BatchEvent } from '../../../src-shared/events';
import type { Delivery, Subscription } from '../../../src-shared/subscription-schemas';
import { operationsByTag } from '../../../src-renderer/store/api-doc-slice';
import { batchProgress, countEntries, isUnsettled, liveBatch } from '../../../src-renderer/store/batch-tree';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { fakeBridge } from './fake-bridge';
import { advance, eventOf, makeJob, manualSchedule } from './fixtures';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const fake = fakeBridge();
  const schedule = manualSchedule();
  const store = createConsoleStore({ bridge: fake.bridge, schedule, eventBatchMs: 10 });
  return { ...fake, schedule, store };
}

const child = (id: string, over: Partial<BatchChild> = {}): BatchChild => ({
  id,
  kind: 'callback',
  status: 'QUEUED',
  progress: 0,
  result: null,
  error: null,
  ...over,
});

function makeBatch(over: Partial<Batch> = {}): Batch {
  const jobs = over.jobs ?? [child('job-00001'), child('job-00002', { kind: 'log' })];
  return {
    id: 'batch-1',
    status: 'RUNNING',
    created_at: '2026-01-01T00:00:00.000Z',
    completed_at: null,
    job_ids: jobs.map((j) => j.id),
    total: jobs.length,
    counts: { QUEUED: jobs.length },
    progress: 0,
    on_complete: { callback_url: 'http://127.0.0.1:8000/api/v1/inbox/batches' },
    jobs,
    callback: null,
    ...over,
  };
}

const fanIn: BatchEvent = {
  id: '9-0',
  type: 'batch',
  batch_id: 'batch-1',
  kind: 'batch',
  status: 'COMPLETED',
  at: '2026-01-01T00:00:05.000Z',
  counts: { DONE: 2 },
  job_ids: ['job-00001', 'job-00002'],
};

describe('batch tree', () => {
  it('takes each child from the live job when the console holds one', () => {
    const running = advance(makeJob({ createdSecond: 1, kind: 'callback' }), 'IN PROGRESS', 100, 40);
    const live = liveBatch(makeBatch(), { [running.id]: running });
    expect(live.jobs[0]).toMatchObject({ id: 'job-00001', status: 'IN PROGRESS', progress: 40 });
    expect(live.jobs[1]!.status).toBe('QUEUED');
    expect(live.counts).toEqual({ 'IN PROGRESS': 1, QUEUED: 1 });
    expect(live.progress).toBe(20);
  });

  it('returns the batch itself when no child job is held', () => {
    const batch = makeBatch();
    expect(liveBatch(batch, {})).toBe(batch);
  });

  it('counts a terminal child as 100 and lists counts in the order of a job life', () => {
    expect(batchProgress([child('a', { status: 'FAILED', progress: 10 }), child('b', { status: 'IN PROGRESS', progress: 50 })])).toBe(75);
    expect(countEntries({ DONE: 2, QUEUED: 1, FAILED: 0 })).toEqual([
      ['QUEUED', 1],
      ['DONE', 2],
    ]);
  });

  it('is settled only once complete and its callback delivered or failed', () => {
    const delivery = { state: 'pending' } as Delivery;
    expect(isUnsettled(makeBatch())).toBe(true);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', callback: null }))).toBe(true);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', callback: delivery }))).toBe(true);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', callback: { ...delivery, state: 'delivered' } }))).toBe(false);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', on_complete: null }))).toBe(false);
  });
});

describe('batches slice', () => {
  it('loads the newest batches, each aggregated', async () => {
    const { bridge, store } = setup();
    bridge.listBatches.mockResolvedValue({
      items: [{ id: 'batch-1', status: 'RUNNING', created_at: '2026-01-01T00:00:00.000Z', completed_at: null, job_ids: [], counts: null }],
      next_cursor: null,
    });
    bridge.getBatch.mockResolvedValue(makeBatch());

    await store.getState().loadBatches();

    expect(bridge.listBatches).toHaveBeenCalledWith({ limit: 20 });
    expect(store.getState().batches.data?.ids).toEqual(['batch-1']);
    expect(store.getState().batches.status).toBe('loaded');
  });

  it('keeps the refusal of a batch, naming its field', async () => {
    const { bridge, store } = setup();
    const problem = {
      type: 'about:blank',
      title: 'the request is not valid',
      status: 400,
      detail: '',
      errors: [{ field: 'jobs.2.payload.x', rule: 'unrecognized_keys', message: 'jobs.2.payload.x is not allowed' }],
    };
    bridge.createBatch.mockResolvedValue({ ok: false, problem });

    expect(await store.getState().createBatch({ jobs: [{ kind: 'log', payload: {} }] })).toBe(false);
    expect(store.getState().batchSubmit).toEqual({ target: null, pending: false, problem, answer: null });
  });

  it('adds an accepted batch at the top, read aggregated', async () => {
    const { bridge, store } = setup();
    const accepted = { id: 'batch-1', status: 'RUNNING' as const, created_at: '2026-01-01T00:00:00.000Z', job_ids: ['job-00001'], on_complete: null };
    bridge.createBatch.mockResolvedValue({ ok: true, batch: accepted });
    bridge.getBatch.mockResolvedValue(makeBatch());

    expect(await store.getState().createBatch({ jobs: [{ kind: 'log', payload: {} }] })).toBe(true);
    expect(store.getState().batchSubmit?.answer?.batch).toEqual(accepted);
    expect(store.getState().batches.data?.ids).toEqual(['batch-1']);
  });

  it('marks a batch COMPLETED on its fan-in event, then reads it again for the callback', async () => {
    const { bridge, emitBatch, store } = setup();
    bridge.createBatch.mockResolvedValue({ ok: true, batch: { id: 'batch-1', status: 'RUNNING', created_at: '', job_ids: [], on_complete: null } });
    bridge.getBatch.mockResolvedValueOnce(makeBatch());
    await store.getState().createBatch({ jobs: [{ kind: 'log', payload: {} }] });
    const delivered = { state: 'delivered', attempts: [{ at: fanIn.at, status_code: 200, duration_ms: 4, error: null }] } as unknown as Delivery;
    let answer: (batch: Batch) => void = () => undefined;
    bridge.getBatch.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    store.getState().start();

    emitBatch(fanIn);
    expect(store.getState().batches.data?.byId['batch-1']).toMatchObject({ status: 'COMPLETED', completed_at: fanIn.at, counts: { DONE: 2 } });

    answer(makeBatch({ status: 'COMPLETED', callback: delivered }));
    await settle();
    expect(store.getState().batches.data?.byId['batch-1']!.callback).toBe(delivered);
  });

  it('reloads the jobs page and the batches on a resync, then carries on live', async () => {
    const { bridge, emitResync, emit, schedule, store } = setup();
    store.getState().start();
    await store.getState().loadBatches();
    await settle();
    const jobsBefore = bridge.listJobs.mock.calls.length;
    const batchesBefore = bridge.listBatches.mock.calls.length;

    emitResync({ type: 'resync', last_event_id: '1-0', oldest_id: '5-0', resume_after: '0-0', reason: 'trimmed' });
    await settle();
    expect(bridge.listJobs.mock.calls.length).toBe(jobsBefore + 1);
    expect(bridge.listBatches.mock.calls.length).toBe(batchesBefore + 1);

    const job = makeJob({ createdSecond: 7 });
    emit(eventOf(job));
    schedule.advance(10);
    expect(store.getState().jobsById[job.id]).toBeDefined();
  });
});

describe('subscriptions slice', () => {
  const subscription: Subscription = { id: 'sub-1', url: 'http://hooks.test/in', events: { kinds: ['log'] }, created_at: '2026-01-01T00:00:00.000Z' };

  it('shows the secret of a new subscription once, and lists it without it', async () => {
    const { bridge, store } = setup();
    bridge.createSubscription.mockResolvedValue({ ok: true, subscription: { ...subscription, secret: 'whsec_abc' } });

    expect(await store.getState().createSubscription({ url: subscription.url })).toBe(true);

    expect(store.getState().createdSecret).toEqual({ subscriptionId: 'sub-1', secret: 'whsec_abc' });
    expect(store.getState().subscriptions.data).toEqual([subscription]);
    expect(store.getState().selectedSubscriptionId).toBe('sub-1');
    store.getState().dismissSecret();
    expect(store.getState().createdSecret).toBeNull();
  });

  it('keeps a refused subscription problem for the form', async () => {
    const { bridge, store } = setup();
    const problem = { type: 'about:blank', title: 'the request is not valid', status: 400, detail: '', errors: [{ field: 'url', rule: 'url', message: 'url must be an http or https URL' }] };
    bridge.createSubscription.mockResolvedValue({ ok: false, problem });

    expect(await store.getState().createSubscription({ url: 'ftp://x' })).toBe(false);
    expect(store.getState().subscriptionForm).toEqual({ target: null, pending: false, problem, answer: null });
    expect(store.getState().subscriptions.data).toBeNull();
  });

  it('deletes a subscription with its deliveries, and keeps it when the delete is refused', async () => {
    const { bridge, store } = setup();
    bridge.listSubscriptions.mockResolvedValue({ items: [subscription], next_cursor: null });
    await store.getState().loadSubscriptions();
    await store.getState().loadDeliveries('sub-1');
    bridge.deleteSubscription.mockResolvedValueOnce({ ok: false, problem: { type: 'about:blank', title: 'no subscription', status: 404, detail: '' } });

    expect(await store.getState().deleteSubscription('sub-1')).toBe(false);
    expect(store.getState().subscriptions.data).toHaveLength(1);
    expect(store.getState().subscriptionAction?.problem?.status).toBe(404);

    bridge.deleteSubscription.mockResolvedValueOnce({ ok: true });
    expect(await store.getState().deleteSubscription('sub-1')).toBe(true);
    expect(store.getState().subscriptions.data).toEqual([]);
    expect(store.getState().deliveries['sub-1']).toBeUndefined();
  });

  it('redelivers, then reads the deliveries again', async () => {
    const { bridge, store } = setup();
    const delivery = { id: 'd1', attempts: [] } as unknown as Delivery;
    bridge.redeliver.mockResolvedValue({ ok: true, delivery });
    bridge.listDeliveries.mockResolvedValue({ items: [delivery], next_cursor: null });

    expect(await store.getState().redeliver('sub-1', 'd1')).toBe(true);

    expect(bridge.redeliver).toHaveBeenCalledWith('sub-1', 'd1');
    expect(bridge.listDeliveries).toHaveBeenCalledWith('sub-1', { limit: 50 });
    expect(store.getState().deliveries['sub-1']).toMatchObject({ data: [delivery], status: 'loaded', error: null });
  });
});

describe('API page', () => {
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

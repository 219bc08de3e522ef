import { describe, expect, it } from 'vitest';
import { entitiesOfWebhook, jobIdOfMail } from '../../../src-renderer/store/record-links';
import { hashOfRoute, routeOfEntity, routeOfHash } from '../../../src-renderer/store/route';
import { settle, setupStore } from './store-fixture';
import { makeJob } from './fixtures';

const JOB = '1a00d835-0b9c-4a55-9a59-1f1f0c2d3e4f';
const BATCH = '2b00d835-0b9c-4a55-9a59-1f1f0c2d3e4f';

describe('deep links', () => {
  it('reads a view and the item in it from the hash, and writes it back the same', () => {
    expect(routeOfHash(`#/jobs/${JOB}`)).toEqual({ view: 'jobs', id: JOB });
    expect(routeOfHash('#/subscriptions/s1/deliveries/d1')).toEqual({ view: 'subscriptions', id: 's1', deliveryId: 'd1' });
    expect(routeOfHash('#/mail/x')).toEqual({ view: 'mail' });
    expect(routeOfHash('#/jobs/a%2Fb')).toEqual({ view: 'jobs' });
    expect(routeOfHash('#/nope/x')).toBeNull();
    expect(hashOfRoute(routeOfEntity({ kind: 'delivery', id: 'd1', subscriptionId: 's1' }))).toBe('#/subscriptions/s1/deliveries/d1');
    expect(hashOfRoute({ view: 'batches', id: BATCH })).toBe(`#/batches/${BATCH}`);
  });

  it('reads and writes the search of the Jobs view with its job: #/jobs?q=…&job=<id>', () => {
    expect(routeOfHash(`#/jobs?q=status%3AFAILED&job=${JOB}`)).toEqual({ view: 'jobs', id: JOB, q: 'status:FAILED' });
    expect(routeOfHash(`#/jobs/${JOB}?q=a+b`)).toEqual({ view: 'jobs', id: JOB, q: 'a b' });
    expect(routeOfHash('#/jobs?job=a%2Fb&q=x')).toEqual({ view: 'jobs', q: 'x' });
    expect(routeOfHash('#/batches?q=x')).toEqual({ view: 'batches' });
    expect(hashOfRoute({ view: 'jobs', id: JOB, q: 'error:"x y"' })).toBe(`#/jobs?q=error%3A%22x+y%22&job=${JOB}`);
    expect(hashOfRoute({ view: 'jobs', q: '' })).toBe('#/jobs');
  });

  it('opens a linked job the store does not hold by reading it from the API', async () => {
    const { store, bridge } = setupStore();
    const job = makeJob({ id: JOB });
    bridge.getJob.mockResolvedValueOnce(job);
    store.getState().openRoute({ view: 'jobs', id: JOB });
    expect(store.getState().view).toBe('jobs');
    expect(store.getState().selectedJobId).toBe(JOB);
    await settle();
    expect(bridge.getJob).toHaveBeenCalledWith(JOB);
    expect(store.getState().jobsById[JOB]?.id).toBe(JOB);
  });

  it('says when the API has no job a link names', async () => {
    const { store } = setupStore();
    store.getState().openRoute({ view: 'jobs', id: JOB });
    await settle();
    expect(store.getState().linkedJob).toMatchObject({ id: JOB, status: 'loaded', data: null });
  });
});

describe('what a received record names', () => {
  it('finds the job of a kind B callback, of a job event delivery, and the batch of a fan-in', () => {
    expect(entitiesOfWebhook({ body: JSON.stringify({ uuid: JOB, type: 'B' }) })).toEqual([{ kind: 'job', id: JOB }]);
    expect(entitiesOfWebhook({ body: JSON.stringify({ type: 'job.DONE', data: { job_id: JOB } }) })).toEqual([{ kind: 'job', id: JOB }]);
    expect(entitiesOfWebhook({ body: JSON.stringify({ type: 'batch.COMPLETED', data: { id: BATCH } }) })).toEqual([{ kind: 'batch', id: BATCH }]);
    expect(entitiesOfWebhook({ body: 'base64:AAAA' })).toEqual([]);
    expect(entitiesOfWebhook({ body: '{"uuid":"not-an-id"}' })).toEqual([]);
  });

  it('finds the job that sent a message from its Message-ID or its header', () => {
    expect(jobIdOfMail({ message_id: `<${JOB}@jobdeck.local>` })).toBe(JOB);
    expect(jobIdOfMail({ message_id: '<x@elsewhere>', headers: { 'x-jobdeck-job': JOB } })).toBe(JOB);
    expect(jobIdOfMail({ message_id: null })).toBeNull();
  });
});

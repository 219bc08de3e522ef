import { describe, expect, it } from 'vitest';
import {
  batchEventFields,
  matchesFilter,
  parseStreamRecord,
  routingKeyOf,
  type BatchEvent,
  type StreamEvent,
} from '../../../src-shared/events';
import { shownPayload } from '../../../src-shared/builtin-kinds';
import { eventTypeOf, subscriptionMatches } from '../../../src-main/webhooks/delivery-dispatcher';

const job = { id: 'j1', kind: 'log', status: 'IN PROGRESS', attempts: 2, updated_at: '2026-01-01T00:00:00.000Z', result: null, error: null };
const jobEntry = ['version', '7', 'job', JSON.stringify(job)];
const batch: Omit<BatchEvent, 'id'> = { type: 'batch', batch_id: 'b1', kind: 'batch', status: 'COMPLETED', at: 'x', counts: { DONE: 2 }, job_ids: ['j1'] };

describe('the event contract', () => {
  it('keeps the old fields and adds attempt and time; result and error only when terminal', () => {
    const event = parseStreamRecord('5-0', jobEntry)!;
    expect(event).toMatchObject({ id: '5-0', type: 'job', job_id: 'j1', kind: 'log', status: 'IN PROGRESS', version: 7, attempt: 2, at: job.updated_at });
    expect(event).not.toHaveProperty('result');
    const done = parseStreamRecord('6-0', ['version', '8', 'job', JSON.stringify({ ...job, status: 'DONE', result: { ok: 1 } })])!;
    expect(done).toMatchObject({ result: { ok: 1 }, error: null });
  });

  it('reads batch entries as batch events and refuses foreign ones', () => {
    expect(parseStreamRecord('7-0', batchEventFields(batch))).toEqual({ ...batch, id: '7-0' });
    expect(parseStreamRecord('7-1', ['batch', '{"type":"other"}'])).toBeUndefined();
    expect(parseStreamRecord('7-2', null)).toBeUndefined();
  });

  it('routes by kind and status with the space as _', () => {
    expect(routingKeyOf(parseStreamRecord('5-0', jobEntry)!)).toBe('log.IN_PROGRESS');
    expect(routingKeyOf({ ...batch, id: '1-0' })).toBe('batch.COMPLETED');
    expect(eventTypeOf(parseStreamRecord('5-0', jobEntry)!)).toBe('job.IN_PROGRESS');
  });

  it('filters feeds and subscriptions by job, kind and status', () => {
    const event = parseStreamRecord('5-0', jobEntry)! as StreamEvent;
    expect(matchesFilter({ kind: 'log', status: 'IN PROGRESS' }, event)).toBe(true);
    expect(matchesFilter({ job_id: 'j2' }, event)).toBe(false);
    expect(matchesFilter({ job_id: 'b1', kind: 'batch' }, { ...batch, id: '1-0' })).toBe(true);
    expect(subscriptionMatches({ kinds: ['log', 'email'], statuses: ['IN PROGRESS'] }, event)).toBe(true);
    expect(subscriptionMatches({ statuses: ['DONE'] }, event)).toBe(false);
    expect(subscriptionMatches({ job_ids: ['b1'] }, { ...batch, id: '1-0' })).toBe(true);
    expect(subscriptionMatches({}, event)).toBe(true);
  });

  it("shows kind B's payload without its signing secret, and any other kind's whole", () => {
    const payload = { callback_url: 'http://x', duration_ms: 1, secret: 'whsec_x' };
    expect(shownPayload('callback', payload)).toEqual({ callback_url: 'http://x', duration_ms: 1 });
    expect(payload.secret).toBe('whsec_x');
    // A user kind's field named `secret` is its own data: shown, kept in the history, retried with.
    expect(shownPayload('vault-sync', { secret: 'name-of-a-vault', other: 1 })).toEqual({ secret: 'name-of-a-vault', other: 1 });
  });
});

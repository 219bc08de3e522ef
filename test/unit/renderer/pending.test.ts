import { describe, expect, it } from 'vitest';
import { memorySlot } from './fixtures';
import { act, type Pending } from '../../../src-renderer/store/pending';

type Cancelled = { ok: true; job: string };

const refusal = { type: 'about:blank', title: 'the job is not FAILED', status: 409, detail: '' };

describe('act', () => {
  it('is in flight for its target, then holds the accepted answer', async () => {
    const slot = memorySlot<Pending<Cancelled> | null>(null);
    const answer = await act(slot, 'job-1', async () => ({ ok: true as const, job: 'cancelled' }));
    expect(answer).toEqual({ ok: true, job: 'cancelled' });
    expect(slot.written).toEqual([
      { target: 'job-1', pending: true, problem: null, answer: null },
      { target: 'job-1', pending: false, problem: null, answer: { ok: true, job: 'cancelled' } },
    ]);
  });

  it('holds the problem of a refusal, and nothing accepted', async () => {
    const slot = memorySlot<Pending<Cancelled> | null>(null);
    expect(await act(slot, 'job-1', async () => ({ ok: false as const, problem: refusal }))).toEqual({ ok: false, problem: refusal });
    expect(slot.read()).toEqual({ target: 'job-1', pending: false, problem: refusal, answer: null });
  });

  it('turns a call that got no answer into a problem of status 0', async () => {
    const slot = memorySlot<Pending<Cancelled> | null>(null);
    const answer = await act(slot, 'job-1', () => Promise.reject(new Error('offline')));
    expect(answer.ok).toBe(false);
    expect(slot.read()?.problem).toMatchObject({ status: 0, title: 'Jobdeck did not answer', detail: 'offline' });
  });
});

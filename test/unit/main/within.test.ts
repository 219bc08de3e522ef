import { describe, expect, it } from 'vitest';
import { closeWithin } from '../../../src-main/lifecycle/close-within';
import { within } from '../../../src-main/lifecycle/within';

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('within', () => {
  it('gives the work its value when it settles in time', async () => {
    expect(await within(after(5, 'answer'), 1_000, 'late')).toBe('answer');
  });

  it('gives the late value when the deadline comes first', async () => {
    const began = Date.now();
    expect(await within(after(2_000, 'answer'), 30, 'late')).toBe('late');
    expect(Date.now() - began).toBeLessThan(1_000);
  });

  it('passes a rejection through', async () => {
    await expect(within(Promise.reject(new Error('refused')), 1_000, 'late')).rejects.toThrow('refused');
  });
});

describe('closeWithin', () => {
  it('says closed when the close resolves in time', async () => {
    expect(await closeWithin(() => after(5, undefined), 1_000)).toEqual({ closed: true });
  });

  it('says why when the close fails', async () => {
    expect(await closeWithin(() => Promise.reject(new Error('broker gone')), 1_000)).toEqual({ closed: false, reason: 'closing failed: broker gone' });
  });

  it('gives up at the deadline on a close that hangs', async () => {
    const outcome = await closeWithin(() => new Promise<void>(() => undefined), 50);
    expect(outcome).toEqual({ closed: false, reason: 'did not close within 0.05 s' });
  });
});

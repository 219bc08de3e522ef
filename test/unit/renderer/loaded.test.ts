import { describe, expect, it } from 'vitest';
import { memorySlot } from './fixtures';
import { load, NOT_LOADED, type Loaded } from '../../../src-renderer/store/loaded';

const clock = () => 1_000;

describe('load', () => {
  it('says loading, then holds the data with the time it ended', async () => {
    const slot = memorySlot<Loaded<number[]>>(NOT_LOADED);
    expect(await load(slot, async () => [1, 2], clock)).toEqual([1, 2]);
    expect(slot.written.map((state) => state.status)).toEqual(['loading', 'loaded']);
    expect(slot.read()).toEqual({ status: 'loaded', data: [1, 2], error: null, at: 1_000 });
  });

  it('keeps the last data with the error in one sentence when a later read fails', async () => {
    const slot = memorySlot<Loaded<string>>({ status: 'loaded', data: 'old', error: null, at: 1 });
    expect(await load(slot, () => Promise.reject(new Error('No answer')), clock)).toBeUndefined();
    expect(slot.read()).toEqual({ status: 'failed', data: 'old', error: 'No answer', at: 1_000 });
  });

  it('leaves a loaded resource loaded while it is read again, so its view does not flash', async () => {
    const slot = memorySlot<Loaded<string>>({ status: 'loaded', data: 'old', error: null, at: 1 });
    await load(slot, async () => 'new', clock);
    expect(slot.written.map((state) => state.status)).toEqual(['loaded']);
    expect(slot.read().data).toBe('new');
  });

  it('says loading and forgets the last error on a restart (a new question)', async () => {
    const slot = memorySlot<Loaded<string>>({ status: 'failed', data: 'old', error: 'down', at: 1 });
    let during: Loaded<string> | undefined;
    await load(slot, async () => ((during = slot.read()), 'new'), clock, { restart: true });
    expect(during).toEqual({ status: 'loading', data: 'old', error: null, at: 1 });
  });

  it('keeps the other fields of the slot', async () => {
    const slot = memorySlot<Loaded<string> & { selectedId: string }>({ ...NOT_LOADED, selectedId: 'a' });
    await load(slot, async () => 'x', clock);
    expect(slot.read()).toMatchObject({ selectedId: 'a', data: 'x' });
  });
});

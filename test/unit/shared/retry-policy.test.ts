import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseRetryDelay, retryLadder } from '../../../src-shared/retry-policy';
import { namesFor } from '../../../src-shared/topology';
import { parseJobMessage } from '../../../src-shared/wire';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';

describe('retry ladder', () => {
  it('doubles from the base up to the longest delay, with no more rungs than retries', () => {
    expect(retryLadder({ maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 })).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryLadder({ maxAttempts: 20, baseDelayMs: 1_000, maxDelayMs: 10_000 })).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryLadder({ maxAttempts: 1, baseDelayMs: 500, maxDelayMs: 60_000 })).toEqual([500]);
    expect(retryLadder({ maxAttempts: 5, baseDelayMs: 5_000, maxDelayMs: 1_000 })).toEqual([5_000]);
  });

  it('picks the rung by the attempts made, and stays on the top rung after it', () => {
    const ladder = [100, 200, 400];
    const top = () => 0.999_999;
    expect(chooseRetryDelay(ladder, 1, top).rungMs).toBe(100);
    expect(chooseRetryDelay(ladder, 2, top).rungMs).toBe(200);
    expect(chooseRetryDelay(ladder, 3, top).rungMs).toBe(400);
    expect(chooseRetryDelay(ladder, 9, top).rungMs).toBe(400);
    expect(chooseRetryDelay(ladder, 0, top).rungMs).toBe(100);
  });

  it('jitters each wait over the upper half of its rung, never past the rung (its queue TTL)', () => {
    const ladder = [100, 200, 400, 800];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, r) => {
        const { rungMs, delayMs } = chooseRetryDelay(ladder, attempts, () => r);
        expect(Number.isInteger(delayMs)).toBe(true);
        expect(delayMs).toBeGreaterThanOrEqual(rungMs / 2);
        expect(delayMs).toBeLessThanOrEqual(rungMs);
      }),
    );
    const spread = new Set(Array.from({ length: 50 }, (_, i) => chooseRetryDelay(ladder, 2, () => i / 50).delayMs));
    expect(spread.size).toBeGreaterThan(40);
  });

  it('names a retry queue per kind and delay, and a dead-letter queue per kind', () => {
    const names = namesFor('jobdeck');
    expect(names.retryQueue('callback', 2_000)).toBe('jobdeck.jobs.callback.retry.2000ms');
    expect(names.deadQueue('log')).toBe('jobdeck.jobs.log.dead');
  });
});

describe('job message attempt', () => {
  const message = {
    v: 1,
    uuid: '0b7c6a54-3f1e-4a8e-9d55-2f8f7c6f0d11',
    type: 'A',
    kind: 'log',
    created_at: '2026-01-01T00:00:00.000Z',
    extra_data: { client_time: '2026-01-01T00:00:00.000Z' },
  };

  it('reads messages with and without an attempt number, and refuses a bad one', () => {
    expect(parseJobMessage(JSON.stringify(message), builtinKindRegistry())).toMatchObject({ uuid: message.uuid });
    expect(parseJobMessage(JSON.stringify({ ...message, attempt: 3 }), builtinKindRegistry())).toMatchObject({ attempt: 3 });
    expect(parseJobMessage(JSON.stringify({ ...message, attempt: 0 }), builtinKindRegistry())).toEqual({ error: 'attempt must be a whole number from 1' });
    expect(parseJobMessage(JSON.stringify({ ...message, attempt: '2' }), builtinKindRegistry())).toHaveProperty('error');
    expect(parseJobMessage(JSON.stringify({ ...message, attempt: 2, max_attempts: 4 }), builtinKindRegistry())).toMatchObject({ attempt: 2, max_attempts: 4 });
    expect(parseJobMessage(JSON.stringify({ ...message, max_attempts: 0 }), builtinKindRegistry())).toEqual({ error: 'max_attempts must be a whole number from 1' });
  });
});

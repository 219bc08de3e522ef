import { describe, expect, it } from 'vitest';
import type { JobKind } from '../../../src-shared/kinds';
import { Admission, BackpressureError } from '../../../src-main/jobs/admission';

/** Queue depths a test sets by hand, counting how often they were asked. */
function depths(initial: Partial<Record<JobKind, number>>) {
  const counts = { log: 0, callback: 0, email: 0, ...initial };
  const source = {
    asked: 0,
    failing: false,
    async messageCount(kind: JobKind): Promise<number> {
      source.asked++;
      if (source.failing) throw new Error('broker away');
      return counts[kind as keyof typeof counts];
    },
  };
  return { counts, source };
}

describe('admission', () => {
  it('refuses once the queue plus the jobs admitted since the count reach the limit', async () => {
    const { source } = depths({ log: 2 });
    const admission = new Admission({ depths: source, maxQueued: 4, sampleEveryMs: 60_000 });
    await admission.admit('log');
    await admission.admit('log');
    const refused = await admission.admit('log').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BackpressureError);
    expect((refused as BackpressureError).retryAfterSeconds).toBeGreaterThan(0);
    expect(source.asked).toBe(1);
  });

  it('counts each kind on its own', async () => {
    const { source } = depths({ log: 10, email: 0 });
    const admission = new Admission({ depths: source, maxQueued: 10, sampleEveryMs: 60_000 });
    await expect(admission.admit('log')).rejects.toBeInstanceOf(BackpressureError);
    await expect(admission.admit('email')).resolves.toBeUndefined();
  });

  it('admits when the broker cannot be counted (the publish says whether it is down)', async () => {
    const { source } = depths({});
    source.failing = true;
    const admission = new Admission({ depths: source, maxQueued: 1 });
    await expect(admission.admit('callback')).resolves.toBeUndefined();
  });

  it('takes a fresh count once the last one is stale', async () => {
    const { source, counts } = depths({ log: 5 });
    const admission = new Admission({ depths: source, maxQueued: 5, sampleEveryMs: 0 });
    await expect(admission.admit('log')).rejects.toBeInstanceOf(BackpressureError);
    counts.log = 0;
    await expect(admission.admit('log')).resolves.toBeUndefined();
  });

  it('admits a batch whole or not at all, counting every job of each kind', async () => {
    const { source } = depths({ log: 1, email: 3 });
    const admission = new Admission({ depths: source, maxQueued: 5, sampleEveryMs: 60_000 });
    const refused = await admission.admitAll(['log', 'email', 'email', 'email']).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BackpressureError);
    expect((refused as Error).message).toMatch(/email queue .*3 more/);
    // Nothing of the refused batch was counted in: the log queue still takes four.
    await expect(admission.admitAll(['log', 'log', 'log', 'log', 'email', 'email'])).resolves.toBeUndefined();
    await expect(admission.admit('log')).rejects.toBeInstanceOf(BackpressureError);
    await expect(admission.admit('email')).rejects.toBeInstanceOf(BackpressureError);
  });
});

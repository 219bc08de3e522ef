import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/job';
import { WRITE_ARGS } from '../../../src-shared/node/status-script';
import { JobStatusClient, type AttemptRun, type JobSeed } from '../../../src-shared/node/status-store';
import { namesFor } from '../../../src-shared/topology';

/**
 * The envelope each named operation hands the write script, read off a fake Redis: which
 * combinations of the script's arguments the console and the workers can produce.
 */
type Sent = { keys: string[]; args: Record<string, string>; seed: Record<string, unknown> };

function recordingClient(): { status: JobStatusClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const redis = {
    script: async () => 'sha',
    evalsha: async (_sha: string, keyCount: number, ...rest: string[]) => {
      const argv = rest.slice(keyCount);
      const args = Object.fromEntries(WRITE_ARGS.map((name, i) => [name, argv[i]!]));
      const pairs = argv.slice(WRITE_ARGS.length);
      const seed = Object.fromEntries(pairs.flatMap((v, i) => (i % 2 ? [] : [[v, JSON.parse(pairs[i + 1]!)]])));
      sent.push({ keys: rest.slice(0, keyCount), args, seed });
      return ['ok', '', 1, ''];
    },
    xadd: async () => '1-0',
    del: async () => 1,
    hget: async () => null,
  };
  return { status: new JobStatusClient(redis, namesFor('unit'), { terminalTtlSeconds: 60, streamMaxLength: 100 }), sent };
}

const SEED: JobSeed = { id: 'j1', kind: 'callback', type: 'B', payload: { callback_url: 'http://127.0.0.1:9/', duration_ms: 0 }, created_at: '2026-01-01T00:00:00.000Z' };
/** The arguments every write leaves empty unless its operation sets them. */
const UNSET = {
  progress: '', add_attempt: '0', result: '', error: '', only_from: '', start_attempt: '', redelivered: '0',
  next_attempt_at: '', attempt_error: '', reset_budget: '0', start_token: '', callback_secret: '',
  then_in_progress: '0', holder_token: '', holder_attempt: '', request_cancel: '0', cancel_channel: 'unit:cancel',
  give_back: '0', max_wait_s: '', note: '',
};
const LIMITS = { terminal_ttl_s: '60', stream_max: '100', default_max_attempts: '5', emit: '1' };

async function sentBy(write: (status: JobStatusClient) => Promise<unknown>): Promise<Sent> {
  const { status, sent } = recordingClient();
  await write(status);
  expect(sent).toHaveLength(1);
  const [one] = sent;
  expect(one!.args.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  return one!;
}

describe('the named status writes', () => {
  it('creates a job QUEUED at its creation time, seeded, with its secret aside', async () => {
    const { keys, args, seed } = await sentBy((s) => s.create(SEED, 'shh'));
    expect(keys).toEqual(['unit:job:j1', 'unit:events', 'unit:log:j1', 'unit:log:j1:bytes']);
    expect(args).toEqual({ ...UNSET, ...LIMITS, status: 'QUEUED', at: SEED.created_at, worker: 'api', guard: 'create', callback_secret: 'shh' });
    expect(seed).toEqual(SEED);
  });

  it("writes an operator's retry and cancel from the allowed statuses, seeded from the job", async () => {
    const job = { ...SEED, status: 'FAILED', attempts: 2, max_attempts: 2, attempt_errors: [], transitions: [], error: 'x', result: null, progress: 40 } as unknown as Job;
    const retry = await sentBy((s) => s.operatorMove(job, ['FAILED', 'CANCELLED'], 'QUEUED'));
    const common = { ...UNSET, ...LIMITS, worker: 'api', guard: 'any', only_from: 'FAILED,CANCELLED', at: retry.args.at };
    expect(retry.args).toEqual({ ...common, status: 'QUEUED', reset_budget: '1', progress: '0', result: 'null', error: 'null' });
    expect(retry.seed).toMatchObject({ id: 'j1', attempts: 2, max_attempts: 2, error: 'x', progress: 40 });
    const cancel = await sentBy((s) => s.operatorMove(job, ['FAILED', 'CANCELLED'], 'CANCELLED'));
    expect(cancel.args).toEqual({ ...common, status: 'CANCELLED', at: cancel.args.at });
  });

  it('undoes a refused retry, withdraws an unaccepted job and cancels a purged one', async () => {
    const api = { ...UNSET, ...LIMITS, worker: 'api' };
    const undo = await sentBy((s) => s.undoRetry('j1', 'FAILED'));
    expect(undo.args).toEqual({ ...api, at: undo.args.at, status: 'FAILED', guard: 'any', only_from: 'QUEUED' });
    expect(undo.seed).toEqual({});
    const withdrawn = await sentBy((s) => s.withdraw('j1', 'not accepted: nack'));
    expect(withdrawn.args).toEqual({ ...api, at: withdrawn.args.at, status: 'CANCELLED', guard: 'any', only_from: 'QUEUED,SCHEDULED', error: '"not accepted: nack"' });
    const purged = await sentBy((s) => s.purged(SEED, false));
    const error = '"purged from the queue by an operator"';
    expect(purged.args).toEqual({ ...api, at: purged.args.at, status: 'CANCELLED', guard: 'live', only_from: 'QUEUED,RETRYING', error });
    expect(purged.seed).toEqual(SEED);
    expect((await sentBy((s) => s.purged(SEED, true))).args.only_from).toBe('');
  });

  it("writes a worker's start checked against its attempt, or counted when its message has none", async () => {
    const run: AttemptRun = { worker: 'host/1', seed: SEED };
    const started = await sentBy((s) => s.startAttempt(run, { attempt: 2, redelivered: true, token: 't1', callbackSecret: 'shh' }));
    const worker = { ...UNSET, ...LIMITS, worker: 'host/1', guard: 'live', status: 'STARTED', progress: '0', then_in_progress: '1', start_token: 't1' };
    expect(started.args).toEqual({ ...worker, at: started.args.at, start_attempt: '2', redelivered: '1', callback_secret: 'shh' });
    expect(started.seed).toEqual(SEED);
    const counted = await sentBy((s) => s.startAttempt(run, { attempt: undefined, redelivered: true, token: 't1' }));
    expect(counted.args).toEqual({ ...worker, at: counted.args.at, add_attempt: '1' });
  });

  it("names the holding start in each later write of a worker's run", async () => {
    const run: AttemptRun = { worker: 'host/1', seed: SEED, holder: { token: 't1', attempt: 3 } };
    const held = { ...UNSET, ...LIMITS, worker: 'host/1', guard: 'live', holder_token: 't1', holder_attempt: '3' };
    const progress = await sentBy((s) => s.progress(run, 250));
    expect(progress.args).toEqual({ ...held, at: progress.args.at, status: 'IN PROGRESS', progress: '100' });
    const done = await sentBy((s) => s.finish(run, { result: { ok: true } }));
    expect(done.args).toEqual({ ...held, at: done.args.at, status: 'DONE', progress: '100', result: '{"ok":true}', error: 'null' });
    const failed = await sentBy((s) => s.finish(run, { failure: 'boom' }));
    expect(failed.args).toEqual({ ...held, at: failed.args.at, status: 'FAILED', error: '"boom"', attempt_error: '"boom"' });
    const next = '2026-01-01T00:01:00.000Z';
    const retrying = await sentBy((s) => s.retryLater(run, 'smtp 451', next));
    expect(retrying.args).toEqual({
      ...held, at: retrying.args.at, status: 'RETRYING', error: '"smtp 451"', attempt_error: '"smtp 451"', next_attempt_at: `"${next}"`,
    });
    expect(retrying.seed).toEqual(SEED);
  });

  it("asks for a running job's cancel, and ends it CANCELLED once its handler stopped", async () => {
    const job = { ...SEED, status: 'IN PROGRESS' } as unknown as Job;
    const asked = await sentBy((s) => s.requestCancel(job));
    const api = { ...UNSET, ...LIMITS, worker: 'api' };
    expect(asked.args).toEqual({ ...api, at: asked.args.at, status: 'IN PROGRESS', guard: 'live', only_from: 'STARTED,IN PROGRESS', request_cancel: '1' });
    expect(asked.seed).toEqual({});
    const run: AttemptRun = { worker: 'host/1', seed: SEED, holder: { token: 't1', attempt: 2 } };
    const cancelled = await sentBy((s) => s.cancelledRunning(run));
    expect(cancelled.args).toEqual({
      ...UNSET, ...LIMITS, at: cancelled.args.at, worker: 'host/1', guard: 'live', holder_token: 't1', holder_attempt: '2',
      status: 'CANCELLED', error: '"cancelled by an operator while attempt 2 ran; its handler stopped"',
    });
  });

  it('fails a malformed job only while it waits, without a seed', async () => {
    const { args, seed } = await sentBy((s) => s.rejectMalformed('j1', 'host/1', 'not a job: no recipient'));
    const error = '"not a job: no recipient"';
    expect(args).toEqual({ ...UNSET, ...LIMITS, at: args.at, worker: 'host/1', status: 'FAILED', guard: 'live', only_from: 'QUEUED,RETRYING', error, attempt_error: error });
    expect(seed).toEqual({});
  });
});

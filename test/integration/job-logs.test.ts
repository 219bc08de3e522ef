import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { JOB_LOG_CONTENT_TYPE, JOB_LOG_FULL_LINE, JOB_LOG_LINE_MAX_BYTES, JOB_LOG_MAX_BYTES, JOB_LOG_MAX_LINES, type JobLogLine } from '../../src-shared/job-log';
import { JobLogStore } from '../../src-shared/node/job-log-store';
import { AttemptLog } from '../../src-worker/attempt-log';
import { eventually } from '../support/console';
import { useConsoleFixture } from '../support/job-api';

/**
 * Per-job logs through the real pipeline: the built-in kinds' workers write their steps, the
 * route answers them as JSON lines, bounded, per attempt and in order across a retry, from the
 * history once Redis expired the job (status TTL 2 s here), and never on the event stream.
 */
// The first delivery of each job fails (500): its second attempt is DONE.
const fixture = useConsoleFixture(
  { JOBDECK_WORKERS: 'A=1,B=1,C=1', JOBDECK_STATUS_TTL_S: '2', JOBDECK_RETRY_BASE_MS: '100', JOBDECK_RETRY_MAX_MS: '200' },
  (_request, index) => (index === 0 ? 500 : 201),
);
const { submit, jobOf } = fixture;
const until = (id: string, status: Job['status']) => eventually(() => jobOf(id), (job) => job.status === status, 20_000, `job ${id} ${status}`);

async function logsOf(id: string): Promise<JobLogLine[]> {
  const answer = await fetch(`${fixture.app.url}/api/v1/jobs/${id}/logs`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toContain(JOB_LOG_CONTENT_TYPE);
  const text = await answer.text();
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as JobLogLine);
}
const linesOf = async (id: string) => (await logsOf(id)).map((entry) => entry.line);
const storedLines = async (store: JobLogStore, id: string) => (await store.read(id)).map((entry) => entry.line);

describe('per-job logs', () => {
  it("keeps the built-in kinds' steps, readable at the route as JSON lines", async () => {
    const log = await submit('log', { client_time: 1569177495 });
    const mail = await submit('email', { subject: 'logged' });
    await Promise.all([until(log.id, 'DONE'), until(mail.id, 'DONE')]);

    const logLines = await logsOf(log.id);
    expect(logLines.map((entry) => entry.line)).toEqual([
      expect.stringMatching(/^connected to PostgreSQL; writing the record of client_time/),
      expect.stringMatching(new RegExp(`^inserted row ${log.id} into ${fixture.app.namespace}\\.log_records in (\\d+) ms \\[effect_ms=\\1\\]$`)),
    ]);
    for (const entry of logLines) {
      expect(entry.attempt).toBe(1);
      expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(await linesOf(mail.id)).toEqual([expect.stringMatching(/^sending to operator@jobdeck\.local over SMTP$/), expect.stringMatching(/^SMTP 250 .* \[effect_ms=\d+\]$/)]);
  });

  it('numbers the attempts and keeps their order across a retry, and keeps them after Redis expired the job', async () => {
    const job = await submit('callback', { callback_url: `${fixture.receiver.url}/hook`, duration_ms: 1_200 });
    await until(job.id, 'DONE');
    const lines = await logsOf(job.id);
    const attempts = lines.map((entry) => entry.attempt);
    expect(attempts).toEqual([...attempts].sort());
    expect(new Set(attempts)).toEqual(new Set([1, 2]));
    const first = lines.filter((entry) => entry.attempt === 1).map((entry) => entry.line);
    expect(first).toEqual([
      'long task started: 1200 ms in 2 steps',
      'task progress: step 1 of 2 done',
      'task progress: step 2 of 2 done',
      `POSTing the result to ${fixture.receiver.url}/hook`,
      expect.stringMatching(/^POST answered 500 in (\d+) ms \[effect_ms=\1\]$/),
      `attempt 1 ended: callback to ${fixture.receiver.url}/hook answered HTTP 500`,
    ]);
    expect(lines.at(-1)!.line).toMatch(/^POST answered 201 in (\d+) ms \[effect_ms=\1\]$/);
    const times = lines.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The status expires 2 s after DONE, the log with it: the history answers the same lines.
    await eventually(() => fixture.redis.exists(fixture.names.jobKey(job.id), fixture.names.jobLogKey(job.id, 'lines')), (count) => count === 0, 10_000, 'Redis to expire the job');
    expect(await logsOf(job.id)).toEqual(lines);
  });

  it('never puts a log line on the event stream', async () => {
    const job = await submit('log', { client_time: 1569177495 });
    await until(job.id, 'DONE');
    expect(await linesOf(job.id)).toContainEqual(expect.stringMatching(/^inserted row/));
    const events = await fixture.redis.xrange(fixture.names.eventStream, '-', '+');
    const text = JSON.stringify(events);
    expect(text).toContain(job.id);
    expect(text).not.toContain('inserted row');
    expect(text).not.toContain('connected to PostgreSQL');
  });

  // On IDs of their own, which no worker writes to meanwhile.
  it('bounds a job\'s log: lines past the bound are dropped and one line says so; a long line is cut', async () => {
    const id = randomUUID();
    const store = new JobLogStore(fixture.redis, fixture.names);
    const log = new AttemptLog(store, id, 1, (line) => expect.fail(line));
    log.line('x'.repeat(JOB_LOG_LINE_MAX_BYTES + 100));
    for (let n = 1; n <= JOB_LOG_MAX_LINES + 500; n++) log.line(`line ${n}`);
    await log.close();
    const lines = await storedLines(store, id);
    expect(lines).toHaveLength(JOB_LOG_MAX_LINES);
    expect(Buffer.byteLength(lines[0]!)).toBe(JOB_LOG_LINE_MAX_BYTES);
    expect(lines[0]!.endsWith('…')).toBe(true);
    expect(lines[1]).toBe('line 1');
    expect(lines.at(-2)).toBe(`line ${JOB_LOG_MAX_LINES - 2}`);
    expect(lines.at(-1)).toBe(JOB_LOG_FULL_LINE);
    // Once full, later lines are refused.
    expect(await store.append(id, [{ attempt: 2, at: new Date().toISOString(), line: 'too late' }])).toBe(0);
    expect(await storedLines(store, id)).toHaveLength(JOB_LOG_MAX_LINES);
    expect(await fixture.redis.ttl(fixture.names.jobLogKey(id, 'lines'))).toBeGreaterThan(0);
  });

  it('bounds the bytes of a job\'s log as well as its lines', async () => {
    const id = randomUUID();
    const store = new JobLogStore(fixture.redis, fixture.names);
    const big = 'y'.repeat(JOB_LOG_LINE_MAX_BYTES);
    const at = new Date().toISOString();
    const kept = await store.append(id, Array.from({ length: 100 }, () => ({ attempt: 1, at, line: big })));
    expect(kept).toBe(JOB_LOG_MAX_BYTES / JOB_LOG_LINE_MAX_BYTES);
    const lines = await storedLines(store, id);
    expect(lines).toHaveLength(kept + 1);
    expect(lines.at(-1)).toBe(JOB_LOG_FULL_LINE);
  });

  it('answers 404 for an unknown job', async () => {
    const answer = await fetch(`${fixture.app.url}/api/v1/jobs/00000000-0000-4000-8000-000000000000/logs`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../src-shared/operation-schemas';
import { namesFor } from '../../src-shared/topology';
import { startConsole } from '../../src-main/console';
import { startTestConsole, type TestConsole } from '../support/console';
import { sseFrames } from '../support/event-clients';
import { testDatabaseConfig } from '../support/namespace';

const JOBS = 2000;

let pool: pg.Pool;
let app: TestConsole;
beforeAll(async () => {
  pool = new pg.Pool(testDatabaseConfig());
  app = await startTestConsole({}, false);
});
afterAll(async () => {
  await app?.dispose();
  await pool?.end();
});

/** Seeds `count` FAILED callback jobs into the namespace's history, `error` their marker. */
async function seedFailed(count: number, error: string): Promise<void> {
  await pool.query(
    `INSERT INTO "${namesFor(app.namespace).schema}".jobs (id, kind, status, payload, attempts, created_at, updated_at, transitions, error, version, max_attempts)
     SELECT gen_random_uuid(), 'callback', 'FAILED', jsonb_build_object('url', 'http://127.0.0.1:9/hook', 'n', g), 3,
       now() - g * interval '1 second', now(), jsonb_build_array(jsonb_build_object('status', 'FAILED', 'at', '2026-12-04T02:00:00.000Z', 'worker', 'seed')),
       $1, 1, 3
     FROM generate_series(1, $2::int) AS g`,
    [error, count],
  );
}

async function startRetry(base: string, query: string, expected: number): Promise<Operation> {
  const response = await fetch(`${base}/api/v1/operations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'retry', query, expected }),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as Operation;
}

interface Streamed {
  names: string[];
  states: Operation[];
  /** The server ended the stream (rather than the reader giving up). */
  ended: boolean;
}

/** Opens the operation's event stream and resolves once the response head arrived; `done` resolves when the stream ends (or 30 s pass). */
async function openStream(url: string): Promise<{ status: number; type: string | null; done: Promise<Streamed> }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  const response = await fetch(url, { signal: controller.signal });
  const streamed: Streamed = { names: [], states: [], ended: false };
  const read = async (): Promise<Streamed> => {
    try {
      for await (const { name, data } of sseFrames(response.body!)) {
        streamed.names.push(name ?? '');
        streamed.states.push(JSON.parse(data) as Operation);
      }
      streamed.ended = true;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
    }
    return streamed;
  };
  return { status: response.status, type: response.headers.get('content-type'), done: response.status === 200 ? read() : Promise.resolve(streamed) };
}

const settled = (op: Operation) => op.changed + op.skipped + op.failed;

function expectProgressToDone(streamed: Streamed, id: string): void {
  expect(streamed.ended).toBe(true);
  expect(new Set(streamed.names)).toEqual(new Set(['operation']));
  expect(streamed.states.every((op) => op.id === id)).toBe(true);
  const counts = streamed.states.map(settled);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  const last = streamed.states.at(-1)!;
  expect(last).toMatchObject({ status: 'done', changed: JOBS, pending: 0 });
  expect(streamed.states.slice(0, -1).every((op) => op.status === 'running')).toBe(true);
}

describe('GET /api/v1/operations/:id/events over the real services', () => {
  it('streams the current state, then progress, then the final done state, and ends', async () => {
    await seedFailed(JOBS, 'streamed progress');
    const started = await startRetry(app.url, 'error:"streamed progress"', JOBS);
    const stream = await openStream(`${app.url}/api/v1/operations/${started.id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.type).toMatch(/^text\/event-stream/);
    const streamed = await stream.done;
    expectProgressToDone(streamed, started.id);
    // More than the first and last: batches of 200 report progress in between.
    expect(streamed.states.filter((op) => op.status === 'running' && settled(op) > 0).length).toBeGreaterThan(0);
    // A finished operation's stream is its final state, and ends.
    const after = await (await openStream(`${app.url}/api/v1/operations/${started.id}/events`)).done;
    expect(after).toMatchObject({ ended: true, names: ['operation'] });
    expect(after.states[0]).toMatchObject({ status: 'done', changed: JOBS });
  }, 40_000);

  it('a second console on the namespace streams the progress of an operation the first runs', async () => {
    await seedFailed(JOBS, 'other console');
    const watcher = await startConsole({ config: app.config, workerEntry: null });
    try {
      // The start wakes the first console's runner at once; the watcher's looks for work every 2 s.
      const started = await startRetry(app.url, 'error:"other console"', JOBS);
      const stream = await openStream(`${watcher.url}/api/v1/operations/${started.id}/events`);
      expect(stream.status).toBe(200);
      expectProgressToDone(await stream.done, started.id);
    } finally {
      await watcher.close();
    }
  }, 40_000);

  it('answers 404 for an unknown operation', async () => {
    const response = await fetch(`${app.url}/api/v1/operations/00000000-0000-4000-8000-000000000000/events`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { detail: string }).detail).toContain('00000000-0000-4000-8000-000000000000');
    expect((await fetch(`${app.url}/api/v1/operations/not-an-id/events`)).status).toBe(404);
  });
});

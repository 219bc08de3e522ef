/**
 * Measures what the foundation promises, against the real services:
 * - accept latency: time for a book route to answer one job (sequential requests);
 * - the curl session: time for its three jobs (callback task 200 ms) to reach DONE;
 * - live delivery: time from submitting a kind A job to its DONE event on an SSE stream.
 * Goals: accept p95 under 50 ms. Prints the figures; exits 1 if a goal is missed.
 */
import { startTestConsole } from '../support/console';

const ACCEPT_SAMPLES = 300;
const ACCEPT_P95_GOAL_MS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeAccepts(url: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ACCEPT_SAMPLES; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/job/database?client_time=1569177495`);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`accept answered ${response.status}`);
  }
  return samples.sort((a, b) => a - b);
}

async function timeCurlSession(url: string): Promise<number> {
  const started = performance.now();
  const paths = ['/job/database?client_time=1569177495', '/job/callback?duration_ms=200', '/job/mail'];
  const ids = await Promise.all(
    paths.map(async (path) => ((await (await fetch(`${url}${path}`)).json()) as { uuid: string }).uuid),
  );
  for (;;) {
    const statuses = await Promise.all(
      ids.map(async (id) => ((await (await fetch(`${url}/job/status?uuid=${id}`)).json()) as { status: string }).status),
    );
    if (statuses.every((s) => s === 'DONE')) return performance.now() - started;
    if (statuses.includes('FAILED')) throw new Error(`a curl-session job failed: ${statuses.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const LIVE_SAMPLES = 100;

/** Submits kind A jobs one at a time and times each until an SSE client sees it DONE. */
async function timeLiveDone(url: string): Promise<number[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/events?kind=log&status=DONE`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const waiting = new Map<string, (at: number) => void>();
  // A fast job's event can arrive before its HTTP answer has been read.
  const early = new Map<string, number>();
  const seen = (id: string, at: number): void => {
    const resolve = waiting.get(id);
    if (resolve) resolve(at);
    else early.set(id, at);
  };
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) seen((JSON.parse(data.slice(6)) as { job_id: string }).job_id, performance.now());
      }
    }
  })();
  const samples: number[] = [];
  for (let i = 0; i < LIVE_SAMPLES; i++) {
    const started = performance.now();
    const answer = await fetch(`${url}/job/database?client_time=1569177495`);
    const { uuid } = (await answer.json()) as { uuid: string };
    const seenAt =
      early.get(uuid) ??
      (await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no DONE event for ${uuid} within 10 s`)), 10_000);
        waiting.set(uuid, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }));
    samples.push(seenAt - started);
  }
  controller.abort();
  return samples.sort((a, b) => a - b);
}

const app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=1,C=1' });
try {
  await app.supervisor!.whenReady(30_000);
  await timeAccepts(app.url); // warm-up: connections, JIT, script cache
  const accepts = await timeAccepts(app.url);
  const session = await timeCurlSession(app.url);
  const live = await timeLiveDone(app.url);
  const p95 = percentile(accepts, 95);
  console.log(`accept latency over ${ACCEPT_SAMPLES} jobs: p50 ${percentile(accepts, 50).toFixed(2)} ms, ` +
    `p95 ${p95.toFixed(2)} ms, p99 ${percentile(accepts, 99).toFixed(2)} ms, max ${accepts.at(-1)!.toFixed(2)} ms`);
  console.log(`curl session (A, B with 200 ms, C) all DONE in ${session.toFixed(0)} ms`);
  console.log(`submit → DONE event on SSE over ${LIVE_SAMPLES} kind A jobs: p50 ${percentile(live, 50).toFixed(2)} ms, ` +
    `p99 ${percentile(live, 99).toFixed(2)} ms`);
  if (p95 > ACCEPT_P95_GOAL_MS) {
    console.error(`accept p95 ${p95.toFixed(2)} ms misses the ${ACCEPT_P95_GOAL_MS} ms goal`);
    process.exitCode = 1;
  }
} finally {
  await app.dispose();
}

/**
 * A few jobs of every kind for `npm run screenshots`, so no view is empty: a trickle of kind A
 * jobs over six seconds (a curve in the throughput chart), done jobs of each kind (mail in the mailbox, callbacks in the webhook inbox), one failed after three refused
 * attempts, one still in progress, a batch, and a webhook subscription that receives DONE and
 * FAILED events. Everything goes through the console's HTTP API, as a client would send it.
 */
import { freePort } from '../test/support/free-port';

const TERMINAL = new Set(['DONE', 'FAILED', 'CANCELLED']);
const SETTLED_TIMEOUT_MS = 90_000;
const POLL_MS = 250;
const REQUEST_TIMEOUT_MS = 10_000;
/** Long enough to stay IN PROGRESS while every view is shot. */
const RUNNING_MS = 120_000;
/** Kind A jobs sent a few at a time for a few seconds: the throughput chart draws a curve. */
const TRICKLE = { rounds: 12, perRound: 2, everyMs: 500 };

/** What the shots need to know of the seeded jobs. */
export interface SeededJobs {
  /** The job that failed after three attempts: the Jobs view shows its details. */
  failedJobId: string;
}

type Json = Record<string, unknown>;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function request(url: string, method: 'GET' | 'POST', body?: Json): Promise<Json> {
  const response = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const answer = (await response.json()) as Json;
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${String(answer.detail ?? answer.title ?? '')}`);
  return answer;
}

function submit(origin: string, kind: string, payload: Json, extra: Json = {}): Promise<string> {
  return request(`${origin}/api/v1/jobs`, 'POST', { kind, payload, ...extra }).then((job) => String(job.id));
}

async function statusOf(origin: string, id: string): Promise<string> {
  return String((await request(`${origin}/api/v1/jobs/${id}`, 'GET')).status);
}

/** Waits until every job is in one of the wanted statuses; fails naming the ones that are not. */
async function waitFor(origin: string, ids: string[], wanted: (status: string) => boolean): Promise<void> {
  const deadline = Date.now() + SETTLED_TIMEOUT_MS;
  for (;;) {
    const statuses = await Promise.all(ids.map((id) => statusOf(origin, id)));
    const pending = ids.filter((_, i) => !wanted(statuses[i]!));
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`seeded jobs not settled within ${SETTLED_TIMEOUT_MS} ms: ${pending.join(', ')}`);
    await delay(POLL_MS);
  }
}

async function trickle(origin: string): Promise<string[]> {
  const ids: string[] = [];
  for (let round = 0; round < TRICKLE.rounds; round++) {
    const now = Math.floor(Date.now() / 1000);
    ids.push(...(await Promise.all(Array.from({ length: TRICKLE.perRound }, () => submit(origin, 'log', { client_time: now })))));
    await delay(TRICKLE.everyMs);
  }
  return ids;
}

async function seedDoneJobs(origin: string): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  return Promise.all([
    submit(origin, 'log', { client_time: now - 3600 }),
    submit(origin, 'log', { client_time: now }),
    submit(origin, 'callback', { duration_ms: 1500, callback_url: `${origin}/api/v1/inbox/orders/42` }),
    submit(origin, 'email', { subject: 'Nightly report', body: 'All 1,284 orders were exported.' }),
    submit(origin, 'email', { email_address: 'Ops Team <ops@jobdeck.local>', subject: 'Disk space low', body: 'Volume /data is 91% full.' }),
  ]);
}

async function seedBatch(origin: string): Promise<string[]> {
  const batch = await request(`${origin}/api/v1/batches`, 'POST', {
    jobs: [
      { kind: 'callback', payload: { duration_ms: 1000 } },
      { kind: 'log', payload: { client_time: Math.floor(Date.now() / 1000) } },
      { kind: 'email', payload: { subject: 'Checkout receipt' } },
    ],
    on_complete: { callback_url: `${origin}/api/v1/inbox/checkout` },
  });
  return batch.job_ids as string[];
}

/** Seeds the console at origin and waits until the jobs have settled. */
export async function seedJobs(origin: string): Promise<SeededJobs> {
  await request(`${origin}/api/v1/subscriptions`, 'POST', {
    url: `${origin}/api/v1/inbox/hooks`,
    events: { statuses: ['DONE', 'FAILED'] },
  });
  const settling = [...(await trickle(origin)), ...(await seedDoneJobs(origin)), ...(await seedBatch(origin))];
  // A port nothing listens on: each attempt is refused and retried, then the job fails.
  const refused = `http://127.0.0.1:${await freePort()}/payments/webhook`;
  const failedJobId = await submit(origin, 'callback', { callback_url: refused, duration_ms: 200 }, { max_attempts: 3 });
  settling.push(failedJobId);
  // Submitted last, so the two lead the Jobs table (newest first).
  const running = await submit(origin, 'callback', { duration_ms: RUNNING_MS });
  await waitFor(origin, settling, (status) => TERMINAL.has(status));
  await waitFor(origin, [running], (status) => status === 'IN PROGRESS');
  if ((await statusOf(origin, failedJobId)) !== 'FAILED') throw new Error(`job ${failedJobId} was meant to fail`);
  return { failedJobId };
}

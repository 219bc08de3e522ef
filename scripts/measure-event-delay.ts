// Measures the delay from a job transition (its `at`) to its Server-Sent Event and to its
// webhook delivery, over a few hundred kind A jobs, against the real services in a namespace of
// its own. Run: [CONCURRENCY=10] node --import tsx scripts/measure-event-delay.ts [jobs]
import type { JobEvent } from '../src-shared/events';
import { startTestConsole } from '../test/support/console';
import { readSse } from '../test/support/event-clients';
import { WebhookReceiver } from '../test/support/webhook-receiver';

const JOBS = Number(process.argv[2] ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(name: string, delays: number[]): string {
  const sorted = [...delays].sort((a, b) => a - b);
  return `${name}: n=${sorted.length} p50=${percentile(sorted, 50)} ms p99=${percentile(sorted, 99)} ms max=${sorted.at(-1)} ms`;
}

const app = await startTestConsole({ JOBDECK_WORKERS: 'A=2,B=0,C=0' });
const hookDelays: number[] = [];
const receiver = await new WebhookReceiver((request) => {
  const { data } = JSON.parse(request.body) as { data: JobEvent };
  hookDelays.push(request.at - Date.parse(data.at!));
  return 204;
}).start();
try {
  await app.supervisor!.whenReady(30_000);
  await fetch(`${app.url}/api/v1/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, events: { kinds: ['log'] } }),
  });
  const sseDelays: number[] = [];
  const done = new Set<string>();
  const reading = readSse(`${app.url}/api/v1/events?kind=log`, (seen) => {
    const event = seen.events.at(-1) as JobEvent;
    sseDelays.push(Date.now() - Date.parse(event.at!));
    if (event.status === 'DONE') done.add(event.job_id);
    return done.size >= JOBS;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < JOBS) await fetch(`${app.url}/job/database?client_time=1569177495`);
    }),
  );
  await reading;
  const deadline = Date.now() + 30_000;
  while (hookDelays.length < sseDelays.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  console.log(summary('transition → SSE event', sseDelays));
  console.log(summary('transition → webhook delivery', hookDelays));
  if (process.env.DEBUG_LAG) {
    const pg = (await import('pg')).default;
    const { testDatabaseConfig } = await import('../test/support/namespace');
    const client = new pg.Client(testDatabaseConfig());
    await client.connect();
    const { rows } = await client.query(`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch from d.created_at - (d.body::jsonb->'data'->>'at')::timestamptz)*1000) AS stored,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch from a.at - d.created_at)*1000) AS sent
      FROM "${app.namespace}".webhook_deliveries d JOIN "${app.namespace}".webhook_attempts a ON a.delivery_id = d.id`);
    console.log(rows);
    await client.end();
  }
} finally {
  await receiver.close();
  await app.dispose();
}

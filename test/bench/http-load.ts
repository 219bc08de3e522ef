/** The accept load both HTTP stages get: autocannon POSTing kind A jobs to /api/v1/jobs. */
import autocannon from 'autocannon';
import { round } from './stats';

export interface AcceptFigure {
  seconds: number;
  connections: number;
  requests: number;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
}

export const ACCEPT_BODY = JSON.stringify({ kind: 'log', payload: { client_time: 1569177495 } });

/**
 * Submits exactly `amount` kind A jobs over `connections` connections; resolves, as the last
 * answer arrives (autocannon itself ends on its next one-second tick), with the 2xx count.
 */
export async function submitJobs(url: string, amount: number, connections: number): Promise<number> {
  let answered = 0;
  let accepted = 0;
  const instance = autocannon(
    {
      url: `${url}/api/v1/jobs`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ACCEPT_BODY,
      connections: Math.min(connections, amount),
      amount,
    },
    () => undefined,
  );
  await new Promise<void>((resolve, reject) => {
    instance.on('response', (_client: unknown, statusCode: number) => {
      if (statusCode >= 200 && statusCode < 300) accepted++;
      if (++answered === amount) resolve();
    });
    instance.on('done', () => (answered < amount ? reject(new Error(`bench: ${amount - answered} of ${amount} submits got no answer`)) : resolve()));
  });
  instance.stop();
  return accepted;
}

/** Unmeasured load first, so both HTTP stages are measured warm (JIT, connection pools, caches). */
const WARMUP_JOBS = 1_000;

export async function loadAccept(url: string, seconds: number, connections: number): Promise<AcceptFigure> {
  if (seconds > 1) await submitJobs(url, WARMUP_JOBS, connections);
  const result = await autocannon({
    url: `${url}/api/v1/jobs`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: ACCEPT_BODY,
    connections,
    duration: seconds,
  });
  return {
    seconds,
    connections,
    requests: result.requests.total,
    req_per_s: round(result.requests.total / seconds),
    p50_ms: round(result.latency.p50),
    p99_ms: round(result.latency.p99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

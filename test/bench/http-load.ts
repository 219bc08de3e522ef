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

/** Submits exactly `amount` kind A jobs over `connections` connections; resolves with the count of 202 answers. */
export async function submitJobs(url: string, amount: number, connections: number): Promise<number> {
  const result = await autocannon({
    url: `${url}/api/v1/jobs`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: ACCEPT_BODY,
    connections: Math.min(connections, amount),
    amount,
  });
  return result['2xx'];
}

/** Unmeasured load first, so both HTTP stages are measured warm (JIT, connection pools, caches). */
const WARMUP_SECONDS = 2;

export async function loadAccept(url: string, seconds: number, connections: number): Promise<AcceptFigure> {
  if (seconds > WARMUP_SECONDS) await submitJobs(url, WARMUP_SECONDS * 500, connections);
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

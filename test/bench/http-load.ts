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

export async function loadAccept(url: string, seconds: number, connections: number): Promise<AcceptFigure> {
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

import { request as httpRequest } from 'node:http';
import amqp from 'amqplib';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES } from '../support/namespace';
import { startTestConsole, type TestConsole } from '../support/console';

/** The built-in kinds: the book's three. */
const JOB_KINDS = builtinKindRegistry().names;

/** Fixed so a failure replays: `FUZZ_SEED=<n>` tries another sequence. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 4000);
const REQUEST_TIMEOUT_MS = 10_000;

// No workers: every accepted job stays in its queue, so the queues count exactly what was accepted.
let app: TestConsole;
let redis: Redis;

beforeAll(async () => {
  app = await startTestConsole({}, false);
  redis = new Redis(TEST_SERVICES.redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await app?.dispose();
});

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

interface FuzzAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: fetch would refuse or rewrite many of the odd ones. */
function send(port: number, fuzz: FuzzRequest): Promise<FuzzAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...fuzz.headers };
    if (fuzz.body !== null) headers['content-length'] = String(Buffer.byteLength(fuzz.body));
    const req = httpRequest(
      { host: '127.0.0.1', port, method: fuzz.method, path: fuzz.path, headers, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(fuzz.body ?? undefined);
  });
}

// ---- what a request is made of ----------------------------------------------------------------

const KNOWN_PATHS = [
  '/api/v1/jobs',
  '/api/v1/jobs/00000000-0000-4000-8000-000000000000',
  '/api/v1/jobs/not-a-uuid',
  '/api/v1/mailbox',
  '/api/v1/inbox',
  '/api/v1/inbox/fuzz/hook',
  '/job/database',
  '/job/callback',
  '/job/mail',
  '/job/status',
  '/',
  '/api',
  '/api/v1',
];
const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer().map(String),
  fc.constantFrom('1569177495', '-1', '1e309', '99999999999999999999', '%zz', '%00', 'null', ''),
);
const queryKey = fc.constantFrom('client_time', 'uuid', 'callback_url', 'duration_ms', 'email_address', 'subject', 'body', 'limit', 'cursor', 'status', 'kind', 'x');
const query = fc
  .array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 4 })
  .map((pairs) =>
    pairs.length === 0 ? '' : `?${pairs.map(([k, v, raw]) => `${k}=${raw ? v.replace(/[^\x21-\x7e]/g, '') : encodeURIComponent(v)}`).join('&')}`,
  );
const randomPath = fc
  .array(fc.oneof(fc.string({ maxLength: 12 }).map(encodeURIComponent), fc.constantFrom('..', '%', '%zz', '%2e%2e', 'jobs', 'v1', 'api')), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => `/${parts.join('/')}`);
// The event stream answers forever: left to the events tests.
const path = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN_PATHS) }, { weight: 1, arbitrary: randomPath }), query).map(([p, q]) => p + q);

const method = fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/problem+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/jsonx',
    ';;;',
    '',
  ),
  { nil: undefined },
);
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });
const extraHeaders = fc.record(
  {
    'idempotency-key': fc.oneof(printable, fc.constantFrom('k1', 'k2', ' ', 'x'.repeat(256))),
    accept: fc.constantFrom('*/*', 'text/html', 'application/json', 'text/event-stream'),
    'last-event-id': printable,
    'x-fuzz': printable,
  },
  { requiredKeys: [] },
);
/** Rarely: a foreign origin is refused (403) before anything else is looked at. */
const origin = fc.oneof(
  { weight: 19, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('http://evil.example', 'null') },
);

const hugeNumber = fc.constantFrom('1e309', '-1e309', '123456789012345678901234567890', '0.0000000001', '-0', '1E400');
const weirdString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('\u0000', '\ud800', '😀'.repeat(50), 'a'.repeat(5000)));
const payload = fc.dictionary(
  fc.constantFrom('client_time', 'callback_url', 'duration_ms', 'email_address', 'subject', 'body', 'extra', '__proto__', 'constructor'),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), weirdString, fc.integer(), fc.double(), fc.constantFrom('http://127.0.0.1:1/x', 'ops@example.com', '2019-09-22T20:38:15+02:00', 1569177495)),
  { maxKeys: 4 },
);
const jobBody = fc.record(
  { kind: fc.oneof(fc.constantFrom(...JOB_KINDS, 'A', 'B', 'C', 'a', 'D', ''), fc.jsonValue({ maxDepth: 1 })), payload: fc.oneof(payload, fc.jsonValue({ maxDepth: 2 })), other: fc.jsonValue({ maxDepth: 1 }) },
  { requiredKeys: [] },
).map((value) => JSON.stringify(value));
const nested = fc.integer({ min: 1, max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const body = fc.option(
  fc.oneof(
    { weight: 5, arbitrary: jobBody },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: hugeNumber.map((n) => `{"kind":"log","payload":{"client_time":${n}}}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: nested },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"kind":', 'null', '[]', '""', '{"kind":"log"}}', '\ufeff{}', 'x'.repeat(1024 * 1024 + 1)) },
  ),
  { nil: null, freq: 5 },
);

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({ method, path, contentType, origin, extra: extraHeaders, body })
  .map(({ method, path, contentType, origin, extra, body }) => ({
    method,
    path,
    headers: {
      ...extra,
      ...(origin === undefined ? {} : { origin }),
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
    },
    body: method === 'GET' || method === 'HEAD' ? null : body,
  }));

// ---- what the API holds ------------------------------------------------------------------------

async function queueDepths(): Promise<number> {
  const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
  try {
    const channel = await connection.createChannel();
    let total = 0;
    for (const kind of JOB_KINDS) total += (await channel.checkQueue(namesFor(app.namespace).queue(kind))).messageCount;
    return total;
  } finally {
    await connection.close();
  }
}

async function countKeys(pattern: string): Promise<number> {
  let count = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    count += keys.length;
    cursor = next;
  } while (cursor !== '0');
  return count;
}

const CREATES_JOBS = /^\/(api\/v1\/jobs|job\/(database|callback|mail))(\?|$)/;

describe('random requests against the running API', () => {
  it(`never answer 5xx or crash, answer every 4xx as a problem, and change nothing when refused (${RUNS} runs)`, async () => {
    const queuedBefore = await queueDepths();
    const jobsBefore = await countKeys(`${app.namespace}:job:*`);
    const accepted = new Set<string>();
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (fuzz) => {
        const answer = await send(app.port, fuzz);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, `${fuzz.method} ${fuzz.path}`).toBeLessThan(500);
        if (answer.status >= 200 && answer.status < 300 && CREATES_JOBS.test(fuzz.path) && fuzz.method !== 'HEAD') {
          const job = JSON.parse(answer.body) as { id?: string; uuid?: string };
          if (job.id ?? job.uuid) accepted.add((job.id ?? job.uuid)!);
        }
        if (answer.status < 400) return;
        expect(answer.headers['content-type'], `${fuzz.method} ${fuzz.path} → ${answer.status}`).toMatch(/^application\/problem\+json/);
        if (fuzz.method === 'HEAD') return;
        const problem = JSON.parse(answer.body) as { title?: unknown; status?: unknown; errors?: { field?: unknown; rule?: unknown }[] };
        expect(problem.title).toEqual(expect.any(String));
        expect(problem.status).toBe(answer.status);
        if (answer.status === 400 || answer.status === 413 || answer.status === 415 || answer.status === 422) {
          expect(problem.errors?.length, `${fuzz.method} ${fuzz.path} ${answer.body}`).toBeGreaterThan(0);
          for (const error of problem.errors!) {
            expect(error.field).toEqual(expect.any(String));
            expect(error.rule).toEqual(expect.any(String));
          }
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    console.log(`[fuzz] ${RUNS} requests, seed ${SEED}: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')}; ${accepted.size} jobs accepted`);
    // Only the accepted jobs are in the queues and in Redis: every refused request left nothing.
    expect(await queueDepths()).toBe(queuedBefore + accepted.size);
    expect(await countKeys(`${app.namespace}:job:*`)).toBe(jobsBefore + accepted.size);
    const health = await fetch(`${app.url}/api/v1/health`);
    expect(health.status).toBe(200);
  });
});

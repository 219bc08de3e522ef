import { afterAll, beforeAll, expect } from 'vitest';
import { buildApi, type ApiOptions } from '../../src-main/api/server';

/** A service no request of the test reaches: route registration calls none of them. */
export const UNUSED = {} as never;

/** The host the app below answers as (its guard's own address). */
export const API_HOST = '127.0.0.1:8000';

/** The API app on placeholder services, with those a test needs given in `services`; for inject(). */
export function apiWith(services: Partial<ApiOptions> = {}): ReturnType<typeof buildApi> {
  return buildApi({
    jobs: UNUSED,
    relay: UNUSED,
    mailbox: UNUSED,
    inbox: UNUSED,
    health: async () => ({ ok: true }),
    guard: { host: '127.0.0.1', port: () => 8000, allowedHosts: [] },
    webhooks: { store: UNUSED, dispatcher: UNUSED },
    batches: UNUSED,
    savedViews: UNUSED,
    schedules: UNUSED,
    operations: UNUSED,
    operationFeed: UNUSED,
    deadLetters: UNUSED,
    alerts: { store: UNUSED, feed: UNUSED },
    queues: UNUSED,
    flow: UNUSED,
    settings: UNUSED,
    audit: { store: UNUSED },
    tokens: UNUSED,
    profiles: UNUSED,
    ...services,
  });
}

type App = Awaited<ReturnType<typeof apiWith>>;
type Injected = Awaited<ReturnType<App['inject']>>;

/** The app of {@link apiWith} for the tests of one file: built before them, closed after; call it for the app. */
export function apiForTests(services: Partial<ApiOptions> = {}): () => App {
  let app: App | undefined;
  beforeAll(async () => {
    app = await apiWith(services);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => app!;
}

export interface ProblemBody {
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; rule: string; message: string }[];
}

/** A request to `app` as the console's own page would make it; an object body goes as JSON. */
export function call(app: App, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Injected> {
  const json = body !== undefined && typeof body !== 'string';
  return app.inject({
    method,
    url,
    headers: { host: API_HOST, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { payload: json ? JSON.stringify(body) : body }),
  });
}

/** Expects a problem answer with `status` and answers its body. */
export function expectProblem(response: Injected, status: number): ProblemBody {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<ProblemBody>();
  expect(body.status).toBe(status);
  return body;
}

/** Expects a 400 problem whose only error names `field` and `rule`. */
export function expectFieldProblem(response: Injected, field: string, rule: string): void {
  expect(expectProblem(response, 400).errors).toEqual([expect.objectContaining({ field, rule })]);
}

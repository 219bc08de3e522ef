import type { ListJobsRequest, SubmitJobRequest, SubmitJobResult } from '../../src-shared/bridge';
import type { Job, Page } from '../../src-shared/job';
import type { Problem } from '../../src-shared/problem';
import type { ConsoleBridge } from './console-bridge';
import { createEventFeed, type EventSourceLike } from './event-feed';
import { scheduleWithTimer, type Schedule } from './schedule';

export interface HttpBridgeOptions {
  /** Origin of the API, e.g. `http://127.0.0.1:8000`; the page's own origin when empty. */
  baseUrl?: string;
  fetch?: typeof fetch;
  openEventSource?: (url: string) => EventSourceLike;
  schedule?: Schedule;
}

/** A request the API refused; `problem` is its RFC 9457 answer. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ProblemError';
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const problem = value as Partial<Problem>;
  return typeof problem.title === 'string' && typeof problem.status === 'number';
}

/** The answer's problem document, or one made from its status when it has none. */
async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const value: unknown = JSON.parse(text);
    if (isProblem(value)) return { ...value, type: value.type ?? 'about:blank', detail: value.detail ?? '' };
  } catch {
    // Not JSON: described from the status below.
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 500),
  };
}

function listQuery(request: ListJobsRequest): string {
  const query = new URLSearchParams();
  if (request.status) query.set('status', request.status);
  if (request.kind) query.set('kind', request.kind);
  if (request.limit !== undefined) query.set('limit', String(request.limit));
  if (request.cursor) query.set('cursor', request.cursor);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The bridge over the v1 HTTP API and its Server-Sent Events stream (headless mode, any browser). */
export function createHttpBridge(options: HttpBridgeOptions = {}): ConsoleBridge {
  const baseUrl = options.baseUrl ?? '';
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const feed = createEventFeed({
    url: `${baseUrl}/api/v1/events`,
    open: options.openEventSource ?? ((url) => new EventSource(url)),
    schedule: options.schedule ?? scheduleWithTimer,
  });

  const getJson = async <T>(path: string): Promise<T> => {
    const response = await send(`${baseUrl}${path}`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new ProblemError(await readProblem(response));
    return (await response.json()) as T;
  };

  return {
    async submitJob(request: SubmitJobRequest): Promise<SubmitJobResult> {
      const response = await send(`${baseUrl}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ kind: request.kind, payload: request.payload }),
      });
      if (response.ok) return { ok: true, job: (await response.json()) as Job };
      return { ok: false, problem: await readProblem(response) };
    },
    async getJob(id: string): Promise<Job | null> {
      try {
        return await getJson<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`);
      } catch (error) {
        if (error instanceof ProblemError && error.problem.status === 404) return null;
        throw error;
      }
    },
    listJobs: (request: ListJobsRequest) => getJson<Page<Job>>(`/api/v1/jobs${listQuery(request)}`),
    onJobEvent: (listener) => feed.onJobEvent(listener),
    onConnectionChange: (listener) => feed.onConnectionChange(listener),
  };
}

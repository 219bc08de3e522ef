import type { AccessReport } from '../../src-shared/token-schemas';
import type { Schedule } from './schedule';

/** Where the page keeps a typed token: this browser tab's session only (gone when it closes). */
export const TOKEN_STORAGE_KEY = 'jobdeck.accessToken';

/** What the token dialog shows; `asking` false while no request waits for a token. */
export interface AccessSnapshot {
  asking: boolean;
  /** Why a token is needed (the API's 401 detail). */
  reason: string;
  /** Why the token last typed was refused; null before one was. */
  refused: string | null;
  /** The token's name and role once the API said who it is (`GET /api/v1/access`). */
  actor: AccessReport['actor'] | null;
  /** Whether the window gave the token (never typed, never asked for). */
  fromWindow: boolean;
}

export interface AccessGateOptions {
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** The Electron window's launch token, when the page runs in the window. */
  launchToken?: () => Promise<string | null>;
  /** Asks the API who a token is: the report, or the refusal's detail. */
  whoIs: (token: string | null) => Promise<{ ok: true; report: AccessReport } | { ok: false; detail: string }>;
}

/**
 * The page's API token: the window's launch token, or one the operator types when the API answers
 * 401 (kept in sessionStorage only). Requests wait on {@link AccessGate.waitForToken} after a 401
 * and are sent again with the new token; the dialog reads {@link AccessGate.snapshot}.
 */
export interface AccessGate {
  /** Resolves once the launch token (if any) is known: the first request waits for it. */
  ready: Promise<void>;
  token(): string | null;
  /** `url` with `access_token=` added when there is a token (EventSource and links cannot set headers). */
  withToken(url: string): string;
  /** A 401 said `reason`: shows the dialog, and resolves once a token the API accepts is there. */
  waitForToken(reason: string): Promise<void>;
  /** Checks a typed token with the API; keeps it and releases the waiting requests when accepted. */
  submit(token: string): Promise<boolean>;
  /** Forgets the typed token; waiting requests go again without one (and ask again on a 401). */
  forget(): void;
  /** Asks the API who this page is (for the role shown and the buttons a read token cannot use). */
  refreshActor(): Promise<void>;
  snapshot(): AccessSnapshot;
  subscribe(listener: () => void): () => void;
  /** A Schedule whose callbacks also run early when a new token arrives (the event feed reconnects at once). */
  scheduleOrOnToken(schedule: Schedule): Schedule;
}

export function createAccessGate(options: AccessGateOptions): AccessGate {
  const storage = options.storage ?? null;
  let token: string | null = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  let state: AccessSnapshot = { asking: false, reason: '', refused: null, actor: null, fromWindow: false };
  const listeners = new Set<() => void>();
  const tokenListeners = new Set<() => void>();
  let waiting: { promise: Promise<void>; release: () => void } | null = null;

  const update = (next: Partial<AccessSnapshot>): void => {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener();
  };
  const useToken = (next: string | null): void => {
    token = next;
    for (const listener of [...tokenListeners]) listener();
  };

  const ready = (options.launchToken?.() ?? Promise.resolve(null)).then(
    (launch) => {
      if (launch) {
        useToken(launch);
        update({ fromWindow: true });
      }
    },
    () => undefined,
  );

  const gate: AccessGate = {
    ready,
    token: () => token,
    withToken: (url) => (token ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}` : url),
    waitForToken(reason) {
      if (!waiting) {
        let release = (): void => undefined;
        const promise = new Promise<void>((resolve) => (release = resolve));
        waiting = { promise, release };
      }
      update({ asking: true, reason, actor: null });
      return waiting.promise;
    },
    async submit(typed) {
      const candidate = typed.trim();
      const answer = await options.whoIs(candidate);
      if (!answer.ok) {
        update({ refused: answer.detail });
        return false;
      }
      storage?.setItem(TOKEN_STORAGE_KEY, candidate);
      useToken(candidate);
      update({ asking: false, refused: null, actor: answer.report.actor });
      waiting?.release();
      waiting = null;
      return true;
    },
    forget() {
      storage?.removeItem(TOKEN_STORAGE_KEY);
      useToken(null);
      update({ asking: false, refused: null, actor: null, fromWindow: false });
      waiting?.release();
      waiting = null;
    },
    async refreshActor() {
      await ready;
      const answer = await options.whoIs(token).catch(() => null);
      if (answer?.ok) update({ actor: answer.report.actor });
    },
    snapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    scheduleOrOnToken: (schedule) => (callback, delayMs) => {
      let done = false;
      const runOnce = (): void => {
        if (done) return;
        done = true;
        cancel();
        tokenListeners.delete(runOnce);
        callback();
      };
      const cancel = schedule(runOnce, delayMs);
      tokenListeners.add(runOnce);
      return () => {
        done = true;
        cancel();
        tokenListeners.delete(runOnce);
      };
    },
  };
  return gate;
}

/** `headers` (a plain object) with `Authorization: Bearer` when the page has a token. */
export function authorized(headers: RequestInit['headers'], access: AccessGate | null | undefined): HeadersInit | undefined {
  const token = access?.token();
  if (!token) return headers;
  return { ...(headers as Record<string, string> | undefined), authorization: `Bearer ${token}` };
}

/** `fetch` sending the page's token (the API page's tries). */
export function authorizedFetch(access: AccessGate | null): typeof fetch {
  return (input, init) => fetch(input, { ...init, headers: authorized(init?.headers, access) });
}

/** `GET /api/v1/access` with `token` (none when null): who the API says it is, or why it refused. */
export function accessOver(fetchOf: typeof fetch = (input, init) => fetch(input, init), baseUrl = ''): AccessGateOptions['whoIs'] {
  return async (token) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const response = await fetchOf(`${baseUrl}/api/v1/access`, { headers, signal: AbortSignal.timeout(15_000) });
      if (response.ok) return { ok: true, report: (await response.json()) as AccessReport };
      const body = (await response.json().catch(() => ({}))) as { detail?: string };
      return { ok: false, detail: body.detail || `the API answered ${response.status}` };
    } catch (error) {
      return { ok: false, detail: `the API could not be reached (${(error as Error).message})` };
    }
  };
}

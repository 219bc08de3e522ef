/** A minimal Server-Sent Events reader of Jobdeck's `/api/v1/events`, calling back per job event. */
import type { JobEvent } from '../../src-shared/events';

export interface SseSubscription {
  close(): void;
}

/** Subscribes with `query` (e.g. `kind=log&status=DONE`); resolves once the stream is open. */
export async function subscribeEvents(
  url: string,
  query: string,
  onEvent: (event: JobEvent, seenAt: number) => void,
): Promise<SseSubscription> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/events?${query}`, { signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`bench: the event stream answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      const seenAt = Date.now();
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) onEvent(JSON.parse(data.slice(6)) as JobEvent, seenAt);
      }
    }
  })();
  return { close: () => controller.abort() };
}

import WebSocket from 'ws';
import type { ResyncEvent, StreamEvent } from '../../src-shared/events';

/** What a feed client saw: events, and resync events, in arrival order. */
export interface FeedSeen {
  events: StreamEvent[];
  resyncs: ResyncEvent[];
}

/** The `event:` name and `data:` of each Server-Sent Events frame of `body` that carries data, as they arrive. */
export async function* sseFrames(body: AsyncIterable<Uint8Array>): AsyncGenerator<{ name: string | undefined; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (data !== undefined) yield { name: lines.find((l) => l.startsWith('event: '))?.slice(7), data };
    }
  }
}

/** Reads Server-Sent Events until `until` says stop (or 20 s pass). */
export async function readSse(url: string, until: (seen: FeedSeen) => boolean, headers: Record<string, string> = {}): Promise<FeedSeen> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 20_000);
  const seen: FeedSeen = { events: [], resyncs: [] };
  const response = await fetch(url, { headers, signal: controller.signal });
  if (response.status !== 200) throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
  try {
    for await (const { name, data } of sseFrames(response.body!)) {
      if (name === 'resync') seen.resyncs.push(JSON.parse(data) as ResyncEvent);
      else seen.events.push(JSON.parse(data) as StreamEvent);
      if (until(seen)) return seen;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return seen;
}

/** A WebSocket feed client that records what it receives. */
export class WsClient {
  readonly seen: FeedSeen = { events: [], resyncs: [] };
  readonly messages: Record<string, unknown>[] = [];
  private readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number }>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve({ code })));
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; event?: StreamEvent; resync?: ResyncEvent };
      this.messages.push(message);
      if (message.type === 'event') this.seen.events.push(message.event!);
      if (message.type === 'resync') this.seen.resyncs.push(message.resync!);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  async until(check: (seen: FeedSeen) => boolean, timeoutMs = 20_000): Promise<FeedSeen> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.seen)) {
      if (Date.now() > deadline) throw new Error(`WebSocket: timed out; saw ${this.seen.events.length} events`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.seen;
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface Received {
  at: number;
  /** The request's path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a receiver answers: a status, or a status with a JSON body (and headers); `null` never answers. */
export type Answer = number | { status: number; body: string; headers?: Record<string, string> } | null;

/** A real HTTP receiver on a free port; `answer` picks the answer to each request. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private server: Server | null = null;
  url = '';

  constructor(private readonly answer: (request: Received, index: number) => Answer = () => 200) {}

  /** Listens on `host` (any loopback address: 127.0.0.2 is another host to the outbound policy). */
  async start(host = '127.0.0.1'): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = { at: Date.now(), path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() };
        this.received.push(received);
        const answer = this.answer(received, this.received.length - 1);
        if (answer === null) return;
        if (typeof answer === 'number') response.writeHead(answer).end();
        else response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

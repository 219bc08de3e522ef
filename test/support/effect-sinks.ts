import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** How many times each job's effect reached a sink, by job ID. */
export type EffectCounts = Map<string, number>;

function bump(counts: EffectCounts, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

/** Kind B's receiver: records every POST by its `webhook-id` and answers 200. */
export class CallbackReceiver {
  readonly deliveries: EffectCounts = new Map();
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const id = request.headers['webhook-id'];
        if (request.method === 'POST' && typeof id === 'string') bump(this.deliveries, id);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Kind C's mail server: records every message by its `X-Jobdeck-Job` header. */
export class MailReceiver {
  readonly messages: EffectCounts = new Map();
  private readonly server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const job = /^X-Jobdeck-Job:\s*(\S+)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
          if (job) bump(this.messages, job);
          callback();
        });
      },
    });
    this.server.on('error', () => undefined);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

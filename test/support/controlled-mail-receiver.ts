import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { EffectCounts } from './effect-sinks';

/** What the receiver does with a message of a job, decided when its DATA has arrived. */
export type MailVerdict = 'accept' | 'defer';

export interface MailReceiverHooks {
  /** Runs before MAIL FROM is answered (a slow server: the sender waits there). */
  beforeMailFrom?: () => Promise<void>;
  /** Decides each message once its DATA arrived; `defer` answers 451 (try again later). */
  onMessage?: (jobId: string) => Promise<MailVerdict>;
}

/**
 * Kind C's mail server for fault scenarios: counts each message it accepts by `X-Jobdeck-Job`
 * (a deferred or cut one is not delivered, so not counted), with hooks that slow it or defer.
 */
export class ControlledMailReceiver {
  readonly messages: EffectCounts = new Map();
  private readonly server: SMTPServer;

  constructor(hooks: MailReceiverHooks = {}) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onMailFrom: (_address, _session, callback) => {
        (hooks.beforeMailFrom?.() ?? Promise.resolve()).then(() => callback(), callback);
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const job = /^X-Jobdeck-Job:\s*(\S+)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
          void (hooks.onMessage?.(job) ?? Promise.resolve<MailVerdict>('accept')).then((verdict) => {
            if (verdict === 'defer') {
              callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
              return;
            }
            if (job) this.messages.set(job, (this.messages.get(job) ?? 0) + 1);
            callback();
          });
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

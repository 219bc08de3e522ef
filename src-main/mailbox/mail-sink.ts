import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { MailboxStore } from './mailbox-store';

export interface MailSinkOptions {
  host: string;
  port: number;
  store: MailboxStore;
  onLog?: (line: string) => void;
}

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((entry) => entry.value.map((a) => a.address ?? '')).filter(Boolean);
}

/**
 * The default mail server: a real SMTP server on loopback that accepts every message and keeps
 * it in the mailbox, so kind C jobs send real mail without an outside server.
 */
export class MailSink {
  private readonly server: SMTPServer;

  constructor(private readonly options: MailSinkOptions) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: MAX_MESSAGE_BYTES,
      banner: 'Jobdeck mail sink',
      logger: false,
      onData: (stream, session, callback) => {
        let size = 0;
        stream.on('data', (chunk: Buffer) => (size += chunk.length));
        simpleParser(stream)
          .then(async (mail) => {
            const to = session.envelope.rcptTo.map((r) => r.address);
            await this.options.store.add({
              envelope_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelope_to: to.length ? to : addresses(mail.to),
              message_id: mail.messageId ?? null,
              subject: mail.subject ?? null,
              headers: Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line.slice(h.key.length + 1).trim()])),
              text_body: mail.text ?? null,
              html_body: typeof mail.html === 'string' ? mail.html : null,
              size,
            });
            callback();
          })
          .catch((error: Error) => {
            this.options.onLog?.(`mail sink could not store a message: ${error.message}`);
            callback(Object.assign(new Error('mailbox unavailable, try again later'), { responseCode: 451 }));
          });
      },
    });
    // Before it listens, listen() reports the error itself.
    this.server.on('error', (error) => this.server.server.listening && this.options.onLog?.(`mail sink: ${error.message}`));
  }

  /** Listens; rejects with EADDRINUSE and the like so the caller can name the setting. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.server.off('error', onError);
        resolve((this.server.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

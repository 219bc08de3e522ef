import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { BudgetAnswer, ClientByteBudget } from '../inbox/client-byte-budget';
import type { MailboxStore } from './mailbox-store';

export interface MailSinkOptions {
  host: string;
  port: number;
  store: MailboxStore;
  /** Largest message accepted (bytes); a larger one is refused with 552. */
  maxMessageBytes: number;
  /** Bytes per second one client may send; past it MAIL FROM or the message is refused with 452. */
  budget: ClientByteBudget;
  onLog?: (line: string) => void;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((entry) => entry.value.map((a) => a.address ?? '')).filter(Boolean);
}

/** An error the SMTP client sees with its reply code. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** 452: a temporary refusal the sending worker retries later, as it does any 4xx. */
function overQuota(answer: BudgetAnswer): Error | null {
  if (answer.allowed) return null;
  return smtpError(452, `mail sink quota: this client sent more than its bytes per second; try again in ${answer.retryAfterSeconds} s`);
}

/** The size a client declared in `MAIL FROM:<…> SIZE=n` (RFC 1870), 0 when it declared none. */
function declaredSize(address: SMTPServerAddress): number {
  const size = Number(((address.args as { SIZE?: unknown } | false) || {}).SIZE ?? 0);
  return Number.isFinite(size) ? size : 0;
}

/**
 * Reads a whole message, holding at most the size limit in memory. Resolves with null when the
 * message went over the limit: the client did not declare its size, so the server learns it only
 * while the data arrives, and must still read the rest before it can answer.
 */
function readMessage(stream: SMTPServerDataStream): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => !stream.sizeExceeded && chunks.push(chunk));
    stream.once('end', () => resolve(stream.sizeExceeded ? null : Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/**
 * The default mail server: a real SMTP server on loopback that accepts every message within the
 * size limit and the sending client's quota and keeps it in the mailbox, so kind C jobs send real
 * mail without an outside server.
 */
/** SMTP clients the sink serves at once: well above 16 workers × their prefetch of 8. */
export const MAIL_SINK_MAX_CLIENTS = 256;

export class MailSink {
  private readonly server: SMTPServer;

  constructor(private readonly options: MailSinkOptions) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: options.maxMessageBytes,
      // Past it a client is greeted with 421 and closed: the API's connection cap, for SMTP.
      maxClients: MAIL_SINK_MAX_CLIENTS,
      // No DNS lookup of each client's address: the sink serves this machine's workers.
      disableReverseLookup: true,
      banner: 'Jobdeck mail sink',
      logger: false,
      // Refused early when the client's budget cannot hold what it declares (or any message at all).
      onMailFrom: (address, session, callback) =>
        callback(overQuota(options.budget.check(session.remoteAddress, declaredSize(address))) ?? undefined),
      onData: (stream, session, callback) => {
        readMessage(stream)
          .then(async (raw) => {
            if (raw === null) {
              callback(smtpError(552, `message exceeds fixed maximum message size ${options.maxMessageBytes}`));
              return;
            }
            const refusal = overQuota(options.budget.take(session.remoteAddress, raw.length));
            if (refusal) {
              callback(refusal);
              return;
            }
            await this.store(raw, await simpleParser(raw), session);
            callback();
          })
          .catch((error: Error) => {
            this.options.onLog?.(`mail sink could not store a message: ${error.message}`);
            callback(smtpError(451, 'mailbox unavailable, try again later'));
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

  private async store(raw: Buffer, mail: ParsedMail, session: SMTPServerSession): Promise<void> {
    const to = session.envelope.rcptTo.map((r) => r.address);
    await this.options.store.add({
      envelope_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
      envelope_to: to.length ? to : addresses(mail.to),
      message_id: mail.messageId ?? null,
      subject: mail.subject ?? null,
      headers: Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line.slice(h.key.length + 1).trim()])),
      text_body: mail.text ?? null,
      html_body: typeof mail.html === 'string' ? mail.html : null,
      size: raw.length,
    });
  }
}

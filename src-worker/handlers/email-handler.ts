import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { parseRecipient } from '../../src-shared/email-address';
import { withEffectTag } from '../../src-shared/job-timing';
import type { ResolvedPayloads } from '../../src-shared/schemas';
import { UnavailableError, type JobContext, type JobHandler } from './handler';
import { isSmtpUnreachable } from './unreachable';

const SENDER = 'Jobdeck <jobdeck@jobdeck.local>';

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** How nodemailer's `getSocket` hook answers: an error, or the connection to speak SMTP over. */
type SocketCallback = (error: Error | null, socketOptions: object) => void;

/**
 * Opens the SMTP connection of one send (nodemailer speaks SMTP, and STARTTLS or TLS, over it)
 * and destroys it when `signal` aborts: a send cut before the server's acceptance of the message
 * delivers nothing.
 */
function abortableSocket(signal: AbortSignal) {
  return (options: SMTPTransport.Options, callback: SocketCallback): void => {
    if (signal.aborted) {
      callback(new Error('worker stopping: mail not sent'), {});
      return;
    }
    const socket = connect({ host: options.host ?? '127.0.0.1', port: Number(options.port) || 25 });
    const abort = (): void => {
      socket.destroy(new Error('worker stopping: mail not sent'));
    };
    signal.addEventListener('abort', abort, { once: true });
    socket.once('close', () => signal.removeEventListener('abort', abort));
    const failed = (error: Error): void => callback(error, {});
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      callback(null, { connection: socket });
    });
  };
}

/**
 * Kind C: sends a real message over SMTP. Its Message-ID is derived from the job ID, so a
 * receiver can tell a repeat (possible only if the worker dies, or loses its job, between the
 * server's acceptance and the ack). A send is cut when the worker loses its job (the stop signal).
 * A server that cannot be reached (refused, silent, no greeting, the connection cut) is an outage
 * ({@link UnavailableError}); whatever it answers (4xx retried, 5xx for good) is the job's.
 */
export class EmailHandler implements JobHandler {
  constructor(private readonly smtpUrl: string) {}

  async run({ job, signal, log }: JobContext): Promise<Record<string, unknown>> {
    const { email_address, subject, body } = job.extra_data as ResolvedPayloads['email'];
    const messageId = `<${job.uuid}@jobdeck.local>`;
    // One connection per send (as nodemailer does without a pool), opened here so it can be cut.
    const transport = nodemailer.createTransport(this.smtpUrl, TIMEOUTS);
    // Set on the transport itself: createTransport takes no options beside a URL's.
    (transport.transporter as SMTPTransport).getSocket = abortableSocket(signal);
    const to = recipientOf(email_address);
    log(`sending to ${typeof to === 'string' ? to : to.address} over SMTP`);
    const started = Date.now();
    try {
      const info = await transport.sendMail({
        from: SENDER,
        to,
        subject: subject ?? `Jobdeck job ${job.uuid}`,
        text: body ?? `Job ${job.uuid} (kind ${job.kind}, type ${job.type}) sent this message.`,
        messageId,
        headers: { 'X-Jobdeck-Job': job.uuid },
      });
      log(withEffectTag(`SMTP ${info.response}`, Date.now() - started));
      return {
        message_id: messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
      };
    } catch (error) {
      if (signal.aborted || !isSmtpUnreachable(error)) throw error;
      throw new UnavailableError(`the SMTP server is unreachable: ${(error as Error).message}`, 'the SMTP server');
    } finally {
      transport.close();
    }
  }

  /** The server's greeting and its answer to EHLO, over a connection of its own. */
  async probe(): Promise<void> {
    const transport = nodemailer.createTransport(this.smtpUrl, TIMEOUTS);
    try {
      await transport.verify();
    } finally {
      transport.close();
    }
  }
}

/**
 * The recipient as nodemailer takes it: name and address as the console checked them (so
 * nodemailer does not parse the text again), or the text itself when it is not one.
 */
function recipientOf(text: string): string | { name: string; address: string } {
  return parseRecipient(text) ?? text;
}

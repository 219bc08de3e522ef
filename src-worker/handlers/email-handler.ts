import nodemailer, { type Transporter } from 'nodemailer';
import { parseRecipient } from '../../src-shared/email-address';
import type { ResolvedPayloads } from '../../src-shared/schemas';
import type { JobContext, JobHandler } from './handler';

const SENDER = 'Jobdeck <jobdeck@jobdeck.local>';

/**
 * Kind C: sends a real message over SMTP. Its Message-ID is derived from the job ID, so a
 * receiver can tell a repeat (possible only if the worker dies between the server's acceptance
 * and the ack).
 */
export class EmailHandler implements JobHandler {
  private readonly transport: Transporter;

  constructor(smtpUrl: string) {
    this.transport = nodemailer.createTransport(smtpUrl, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async run({ job }: JobContext): Promise<Record<string, unknown>> {
    const { email_address, subject, body } = job.extra_data as ResolvedPayloads['email'];
    const messageId = `<${job.uuid}@jobdeck.local>`;
    const info = await this.transport.sendMail({
      from: SENDER,
      to: recipientOf(email_address),
      subject: subject ?? `Jobdeck job ${job.uuid}`,
      text: body ?? `Job ${job.uuid} (kind ${job.kind}, type ${job.type}) sent this message.`,
      messageId,
      headers: { 'X-Jobdeck-Job': job.uuid },
    });
    return {
      message_id: messageId,
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
      response: info.response,
    };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * The recipient as nodemailer takes it: name and address as the console checked them (so
 * nodemailer does not parse the text again), or the text itself when it is not one.
 */
function recipientOf(text: string): string | { name: string; address: string } {
  return parseRecipient(text) ?? text;
}

import type { ConsoleConfig } from '../config';
import { recordByteBudget } from '../inbox/client-byte-budget';
import type { Closers } from '../lifecycle/closers';
import { MailSink } from '../mailbox/mail-sink';
import type { MailboxStore } from '../mailbox/mailbox-store';
import type { MailTarget } from './runtime-facts';
import { step } from './startup-error';

/** The embedded mail sink, unless SMTP_URL names another server; returns where mail goes. */
export async function startMail(config: ConsoleConfig, mailbox: MailboxStore, closers: Closers, log: (line: string) => void): Promise<MailTarget> {
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl);
    const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 25));
    return { url: config.smtpUrl, host: url.hostname, port };
  }
  const { maxMessageBytes, bytesPerSecond } = config.mailboxQuota;
  const budget = recordByteBudget(bytesPerSecond, maxMessageBytes);
  const sink = new MailSink({ host: config.smtpSinkHost, port: config.smtpSinkPort, store: mailbox, maxMessageBytes, budget, onLog: log });
  const port = await step(
    `The mail sink on ${config.smtpSinkHost}:${config.smtpSinkPort}`,
    'JOBDECK_SMTP_SINK_PORT (or SMTP_URL to use another mail server)',
    () => sink.listen(),
  );
  closers.add('mail sink', () => sink.close());
  return { url: `smtp://${config.smtpSinkHost}:${port}`, host: config.smtpSinkHost, port };
}

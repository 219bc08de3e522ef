import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobMessage } from '../../src-shared/wire';
import { EmailHandler } from '../../src-worker/handlers/email-handler';
import { ControlledMailReceiver } from '../support/controlled-mail-receiver';

// A real SMTP server on loopback that makes each send wait 1 s at MAIL FROM.
const mail = new ControlledMailReceiver({ beforeMailFrom: () => new Promise((resolve) => setTimeout(resolve, 1_000)) });
let smtpUrl: string;
beforeAll(async () => {
  smtpUrl = await mail.listen();
});
afterAll(() => mail.close());

const job = (uuid: string): JobMessage => ({
  v: 1,
  uuid,
  type: 'C',
  kind: 'email',
  extra_data: { email_address: 'ops@example.com', subject: 'hello' },
  created_at: new Date().toISOString(),
});
const run = (uuid: string, signal: AbortSignal) =>
  new EmailHandler(smtpUrl).run({ job: job(uuid), attempt: 1, log: () => undefined, reportProgress: async () => undefined, signal });

describe('kind C email', () => {
  it('sends the message with the job ID in its Message-ID and header', async () => {
    const result = await run('mail-sent', new AbortController().signal);
    expect(result).toMatchObject({ message_id: '<mail-sent@jobdeck.local>', accepted: ['ops@example.com'] });
    expect(mail.messages.get('mail-sent')).toBe(1);
  });

  it('cuts the send when the worker loses its job: nothing is delivered', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const sending = run('mail-cut', stop.signal);
    setTimeout(() => stop.abort(), 300);
    await expect(sending).rejects.toThrow(/worker stopping/);
    expect(Date.now() - started).toBeLessThan(2_000); // loose for a loaded machine: the rejection and the empty mailbox prove the cut
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(mail.messages.get('mail-cut')).toBeUndefined();
  });

  it('sends nothing when the job was lost before the send began', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(run('mail-never', stop.signal)).rejects.toThrow(/worker stopping/);
    expect(mail.messages.get('mail-never')).toBeUndefined();
  });
});

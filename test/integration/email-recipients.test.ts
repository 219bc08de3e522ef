// Kind C recipients end to end: a display name, a Unicode local part (SMTPUTF8) and an IDN
// domain (punycode) are accepted by the API, sent by a real worker and stored by the embedded
// mail sink; what no mail system takes is refused with a rule saying what is allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECIPIENT_RULE } from '../../src-shared/email-address';
import type { Page } from '../../src-shared/job';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

interface MailItem {
  id: string;
  message_id: string | null;
  envelope_to: string[];
}

interface JobView {
  id: string;
  status: string;
  payload: { email_address: string };
  result: { accepted: string[] } | null;
}

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=1' });
});
afterAll(async () => {
  await app?.dispose();
});

const submit = (email_address: string) =>
  fetch(`${app.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'email', payload: { email_address } }),
  });

async function finished(id: string): Promise<JobView> {
  return eventually(
    async () => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as JobView,
    (job) => job.status === 'DONE' || job.status === 'FAILED',
    30_000,
    `job ${id} finished`,
  );
}

async function mailOf(id: string): Promise<MailItem | undefined> {
  const page = (await (await fetch(`${app.url}/api/v1/mailbox?limit=500`)).json()) as Page<MailItem>;
  return page.items.find((m) => m.message_id === `<${id}@jobdeck.local>`);
}

describe('kind C recipients', () => {
  const delivered: [recipient: string, envelope: string][] = [
    ['"Ops Team" <ops@example.com>', 'ops@example.com'],
    ['Ops Team <ops@example.com>', 'ops@example.com'],
    ['jöhn.doe@example.com', 'jöhn.doe@example.com'],
    ['ops@bücher.example', 'ops@bücher.example'],
    ['Ärger <用户@例子.广告>', '用户@例子.广告'],
  ];

  it('sends a display name, a Unicode local part and an IDN domain to the mail sink', async () => {
    const ids: string[] = [];
    for (const [recipient] of delivered) {
      const response = await submit(recipient);
      expect(response.status, recipient).toBe(202);
      ids.push(((await response.json()) as { id: string }).id);
    }
    for (const [n, id] of ids.entries()) {
      const [recipient, envelope] = delivered[n]!;
      const job = await finished(id);
      expect(job.status, recipient).toBe('DONE');
      expect(job.payload.email_address).toBe(recipient);
      // nodemailer reports the domain as it went over SMTP: punycode.
      expect(job.result!.accepted).toEqual([envelope.replace('bücher.example', 'xn--bcher-kva.example').replace('例子.广告', 'xn--fsqu00a.xn--4rr70v')]);
      const mail = await eventually(() => mailOf(id), 10_000, `mail of ${recipient}`);
      // The sink (smtp-server) shows IDN domains in Unicode again.
      expect(mail.envelope_to, recipient).toEqual([envelope]);
    }
  });

  // The other refusals are in test/unit/main/job-routes.test.ts, without a console.
  it('refuses what no mail system takes, saying what is allowed', async () => {
    for (const recipient of ['ops@example.com, dev@example.com']) {
      const response = await submit(recipient);
      expect(response.status, recipient).toBe(400);
      const problem = (await response.json()) as { errors: { field: string; rule: string; message: string }[] };
      expect(problem.errors, recipient).toEqual([
        { field: 'payload.email_address', rule: 'format', message: `payload.email_address ${RECIPIENT_RULE}` },
      ]);
    }
  });

  it('takes a display name on the book route too', async () => {
    const response = await fetch(`${app.url}/job/mail?email_address=${encodeURIComponent('Ops Team <ops@example.com>')}`);
    expect(response.status).toBe(200);
    const job = (await response.json()) as { uuid: string; extra_data: { email_address: string } };
    expect(job.extra_data.email_address).toBe('Ops Team <ops@example.com>');
    expect((await finished(job.uuid)).status).toBe('DONE');
  });
});

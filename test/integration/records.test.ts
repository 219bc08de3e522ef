import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../../src-shared/job';
import { startTestConsole, type TestConsole } from '../support/console';

interface InboxItem {
  id: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  content_type: string | null;
  body: string;
}

interface MailItem {
  id: string;
  envelope_to: string[];
  subject: string | null;
  headers: Record<string, string>;
  text_body: string | null;
  size: number;
}

// No workers: only the API, the inbox and the mail sink are under test (the host guard is in
// test/unit/main/host-guard.test.ts).
let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({}, false);
});
afterAll(async () => {
  await app?.dispose();
});

const getJson = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${app.url}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};

const postInbox = async (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) => {
  const response = await fetch(`${app.url}/api/v1/inbox/${path}`, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as { id: string; status?: number } };
};

const inboxItem = (id: string): Promise<InboxItem> => getJson<InboxItem>(`/api/v1/inbox/items/${id}`);

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; errors?: { field: string; rule: string }[] };
}

describe('webhook inbox', () => {
  it('redacts credentials in the headers it stores and keeps the others', async () => {
    const secrets = {
      authorization: 'Bearer s3cret-bearer',
      cookie: 'session=s3cret-cookie',
      'proxy-authorization': 'Basic s3cret-proxy',
      'x-webhook-secret': 's3cret-hmac-key',
      'x-gitlab-token': 's3cret-token',
      'x-api-key': 's3cret-api-key',
    };
    const created = await postInbox('hooks/redact', '{"a":1}', {
      ...secrets,
      'content-type': 'application/json',
      'x-request-id': 'req-42',
    });
    expect(created.status).toBe(201);

    const item = await inboxItem(created.json.id);
    for (const name of Object.keys(secrets)) expect(item.headers[name]).toBe('[redacted]');
    expect(item.headers['x-request-id']).toBe('req-42');
    expect(item.body).toBe('{"a":1}');
    const listing = await (await fetch(`${app.url}/api/v1/inbox?limit=500`)).text();
    expect(listing).not.toContain('s3cret');
  });

  it('stores a body with a NUL byte or invalid UTF-8 as base64, and clean text as it came', async () => {
    const cases: [string, Uint8Array, string][] = [
      ['nul', Buffer.from('a\0b'), `base64:${Buffer.from('a\0b').toString('base64')}`],
      ['binary', Buffer.from([0xff, 0xfe, 0x41, 0xc3]), `base64:${Buffer.from([0xff, 0xfe, 0x41, 0xc3]).toString('base64')}`],
      ['prefixed', Buffer.from('base64:not really'), `base64:${Buffer.from('base64:not really').toString('base64')}`],
      ['text', Buffer.from('héllo ✓'), 'héllo ✓'],
    ];
    for (const [name, bytes, stored] of cases) {
      const created = await postInbox(`hooks/${name}`, bytes, { 'content-type': 'application/octet-stream' });
      expect(created.status, name).toBe(201);
      const item = await inboxItem(created.json.id);
      expect(item, name).toMatchObject({ method: 'POST', path: `/api/v1/inbox/hooks/${name}`, body: stored });
      expect(item.content_type).toBe('application/octet-stream');
    }
  });

  it('refuses a body over 1 MiB with a 413 problem and stores nothing', async () => {
    const before = await getJson<Page<InboxItem>>('/api/v1/inbox?limit=1');
    const response = await fetch(`${app.url}/api/v1/inbox/hooks/big`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    const body = await expectProblem(response, 413);
    expect(body.status).toBe(413);
    const after = await getJson<Page<InboxItem>>('/api/v1/inbox?limit=1');
    expect(after.items[0]?.id).toBe(before.items[0]?.id);
  });

  it('pages newest first with limit and cursor', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await postInbox(`hooks/page-${n}`, `page ${n}`)).json.id);
    const first = await getJson<Page<InboxItem>>('/api/v1/inbox?limit=2');
    expect(first.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(first.next_cursor).toBe(ids[1]);
    const second = await getJson<Page<InboxItem>>(`/api/v1/inbox?limit=2&cursor=${first.next_cursor}`);
    expect(second.items[0]?.id).toBe(ids[0]);
    expect(second.items[0]).toMatchObject({ preview: 'page 1', size: 6 });
  });
});

// Bad paging is refused before the stores are asked: test/unit/main/record-routes.test.ts.
describe('mail sink', () => {
  const send = (subject: string, text: string, headers: Record<string, string> = {}) =>
    nodemailer.createTransport(app.smtpUrl).sendMail({
      from: 'jobs@jobdeck.local',
      to: 'ops@example.com',
      subject,
      text,
      headers,
    });

  it('lists a mail with its subject and recipient, reads it whole with its headers, and pages with limit and cursor', async () => {
    for (const n of [1, 2, 3]) await send(`Mail ${n}`, `body ${n}`, { 'X-Jobdeck-Test': `mail-${n}` });
    const first = await getJson<Page<MailItem>>('/api/v1/mailbox?limit=2');
    expect(first.items.map((m) => m.subject)).toEqual(['Mail 3', 'Mail 2']);
    expect(first.items[0]).toMatchObject({ envelope_to: ['ops@example.com'], preview: 'body 3\n' });
    const whole = await getJson<MailItem>(`/api/v1/mailbox/${first.items[0]!.id}`);
    expect(whole).toMatchObject({ envelope_to: ['ops@example.com'], text_body: 'body 3\n' });
    expect(whole.headers).toMatchObject({ 'x-jobdeck-test': 'mail-3', subject: 'Mail 3' });
    expect(first.next_cursor).toBe(first.items[1]!.id);
    const second = await getJson<Page<MailItem>>(`/api/v1/mailbox?limit=2&cursor=${first.next_cursor}`);
    expect(second.items[0]).toMatchObject({ subject: 'Mail 1', envelope_to: ['ops@example.com'] });
  });

  it('refuses a message over 10 MiB with 552 and does not store it', async () => {
    const before = await getJson<Page<MailItem>>('/api/v1/mailbox?limit=1');
    const oversized = send('Too big', 'x'.repeat(10 * 1024 * 1024 + 4096));
    await expect(oversized).rejects.toMatchObject({ responseCode: 552 });
    const after = await getJson<Page<MailItem>>('/api/v1/mailbox?limit=1');
    expect(after.items[0]?.id).toBe(before.items[0]?.id);

    await send('After the refusal', 'still open for mail');
    const latest = await getJson<Page<MailItem>>('/api/v1/mailbox?limit=1');
    expect(latest.items[0]?.subject).toBe('After the refusal');
  });
});

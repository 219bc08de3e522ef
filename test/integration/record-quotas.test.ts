/**
 * The webhook inbox's and the mail sink's quotas against a real console (PostgreSQL, the SMTP
 * sink): item size, items and bytes kept, bytes per second per client; lists without bodies and
 * one item read whole.
 * Each client is a loopback address of its own (127.0.0.x), so budgets do not mix between tests.
 */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSummary, WebhookSummary } from '../../src-shared/console-records';
import type { Page } from '../../src-shared/job';
import { MAIL_SINK_MAX_CLIENTS } from '../../src-main/mailbox/mail-sink';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

const KIB = 1024;
const MIB = 1024 * KIB;
const INBOX_MAX_ITEMS = 5;
const INBOX_MAX_BYTES = 3 * MIB;
const INBOX_RATE = 64 * KIB;
const MAIL_MAX_ITEMS = 3;
const MAIL_MAX_MESSAGE = 64 * KIB;
const MAIL_RATE = 16 * KIB;

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole(
    {
      JOBDECK_INBOX_MAX_ITEMS: String(INBOX_MAX_ITEMS),
      JOBDECK_INBOX_MAX_BYTES: String(INBOX_MAX_BYTES),
      JOBDECK_INBOX_BYTES_PER_S: String(INBOX_RATE),
      JOBDECK_MAILBOX_MAX_ITEMS: String(MAIL_MAX_ITEMS),
      JOBDECK_MAILBOX_MAX_MESSAGE_BYTES: String(MAIL_MAX_MESSAGE),
      JOBDECK_MAILBOX_BYTES_PER_S: String(MAIL_RATE),
    },
    false,
  );
});
afterAll(async () => {
  await app?.dispose();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
}

/** A request sent from a loopback address of the test's choosing: that address is the client. */
function send(method: string, path: string, from: string, body?: string | Buffer): Promise<Answer> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, localAddress: from, headers: { 'content-type': 'text/plain' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject).end(body);
  });
}

const postInbox = (path: string, from: string, body: string | Buffer) => send('POST', `/api/v1/inbox/${path}`, from, body);
const get = (path: string) => send('GET', path, '127.0.0.1');
const listInbox = async () => (await get('/api/v1/inbox?limit=500')).json as unknown as Page<WebhookSummary>;
const listMail = async () => (await get('/api/v1/mailbox?limit=500')).json as unknown as Page<MailSummary>;

function expectProblem(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.json.status).toBe(status);
}

describe('webhook inbox quota', () => {
  it('answers 429 with Retry-After to a client past its bytes per second, stores nothing, and still takes other clients', async () => {
    const before = (await listInbox()).items[0]?.id;
    const body = 'x'.repeat(700 * KIB);
    expect((await postInbox('quota/first', '127.0.0.2', body)).status).toBe(201);
    const refused = await postInbox('quota/second', '127.0.0.2', body);
    expectProblem(refused, 429);
    expect(refused.json.type).toBe('urn:jobdeck:problem:inbox-quota');
    // 701 KiB wanted, about 325 KiB left, 64 KiB/s: six seconds.
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(5);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(7);
    expect((await postInbox('quota/other-client', '127.0.0.3', body)).status).toBe(201);
    const paths = (await listInbox()).items.filter((item) => Number(item.id) > Number(before ?? 0)).map((item) => item.path);
    expect(paths).toEqual(['/api/v1/inbox/quota/other-client', '/api/v1/inbox/quota/first']);
  });

  it('refuses a body over 1 MiB with a 413 problem naming the body', async () => {
    const refused = await postInbox('quota/big', '127.0.0.4', Buffer.alloc(MIB + 1, 'y'));
    expectProblem(refused, 413);
    expect(refused.json.errors).toMatchObject([{ field: '(body)', rule: 'max' }]);
  });

  it('keeps the newest items within its count, deleting the oldest', async () => {
    const ids: string[] = [];
    for (let n = 0; n < INBOX_MAX_ITEMS + 3; n++) ids.push(String((await postInbox(`quota/count-${n}`, '127.0.0.5', `item ${n}`)).json.id));
    const kept = await eventually(async () => (await listInbox()).items, (items) => items.length === INBOX_MAX_ITEMS, 5_000, `the inbox trimmed to ${INBOX_MAX_ITEMS}`);
    expect(kept.map((item) => item.id)).toEqual(ids.slice(-INBOX_MAX_ITEMS).reverse());
    expectProblem(await get(`/api/v1/inbox/items/${ids[0]}`), 404);
  });

  it('keeps the newest items within its bytes, deleting the oldest', async () => {
    const body = 'z'.repeat(900 * KIB);
    const ids: string[] = [];
    // One client each: four bodies at once are more than one client's burst.
    for (const n of [10, 11, 12, 13]) ids.push(String((await postInbox(`quota/bytes-${n}`, `127.0.0.${n}`, body)).json.id));
    const kept = await eventually(async () => {
      const items = (await listInbox()).items;
      return items[items.length - 1]?.id === ids[1] ? items : undefined;
    }, 5_000, 'the inbox trimmed to its bytes');
    expect(kept.map((item) => item.id)).toEqual(ids.slice(1).reverse());
    expect(kept.reduce((sum, item) => sum + item.size, 0)).toBeLessThanOrEqual(INBOX_MAX_BYTES);
  });
});

describe('inbox items: listed without bodies, read one at a time', () => {
  it('lists summaries (size and a text preview, no headers or body) and serves the whole request by ID', async () => {
    const marker = 'needle-'.repeat(40);
    const created = await postInbox('items/listed', '127.0.0.30', `${marker}tail`);
    const listing = await get('/api/v1/inbox?limit=500');
    expect(JSON.stringify(listing.json)).not.toContain('tail');
    const item = (listing.json as unknown as Page<WebhookSummary>).items.find((i) => i.id === created.json.id)!;
    expect(Object.keys(item).sort()).toEqual(['content_type', 'id', 'method', 'path', 'preview', 'received_at', 'size']);
    expect(item).toMatchObject({ size: marker.length + 4, preview: marker.slice(0, 120) });

    const whole = await get(`/api/v1/inbox/items/${String(created.json.id)}`);
    expect(whole.status).toBe(200);
    expect(whole.json).toMatchObject({ id: created.json.id, path: '/api/v1/inbox/items/listed', body: `${marker}tail` });
    expect((whole.json.headers as Record<string, string>)['content-type']).toBe('text/plain');
  });

  it('records a POST to /api/v1/inbox/items/<x> as a webhook: only GET reads an item', async () => {
    const created = await postInbox('items/42', '127.0.0.31', 'posted to an item path');
    expect(created.status).toBe(201);
    const whole = await get(`/api/v1/inbox/items/${String(created.json.id)}`);
    expect(whole.json).toMatchObject({ method: 'POST', path: '/api/v1/inbox/items/42', body: 'posted to an item path' });
  });

  for (const [route, list] of [
    ['/api/v1/inbox/items', '/api/v1/inbox'],
    ['/api/v1/mailbox', '/api/v1/mailbox'],
  ] as const) {
    it(`${route}/<id>: 404 for an unknown ID, 400 naming id for a malformed one, and cursors in range`, async () => {
      expectProblem(await get(`${route}/9223372036854775807`), 404);
      for (const bad of ['abc', '0', '-1', '1.5', '9223372036854775808', '99999999999999999999']) {
        const answer = await get(`${route}/${bad}`);
        expectProblem(answer, 400);
        expect(answer.json.errors, bad).toMatchObject([{ field: 'id', rule: 'format' }]);
      }
      const cursor = await get(`${list}?cursor=9223372036854775808`);
      expectProblem(cursor, 400);
      expect(cursor.json.errors).toMatchObject([{ field: 'cursor', rule: 'format' }]);
    });
  }
});

/** A mail sent through the sink from a loopback address of the test's choosing. */
function sendMail(from: string, subject: string, text: string) {
  const { hostname, port } = new URL(app.smtpUrl);
  const transport = nodemailer.createTransport({ host: hostname, port: Number(port), localAddress: from });
  return transport.sendMail({ from: 'jobs@jobdeck.local', to: 'ops@example.com', subject, text }).finally(() => transport.close());
}

describe('mail sink quota', () => {
  it(`serves at most ${MAIL_SINK_MAX_CLIENTS} clients at once: the next is greeted 421 and closed`, async () => {
    const { hostname, port } = new URL(app.smtpUrl);
    const greeting = async (): Promise<{ socket: Socket; line: string }> => {
      const socket = connect(Number(port), hostname);
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      return { socket, line: chunk.toString() };
    };
    const held: Socket[] = [];
    try {
      const served = await Promise.all(Array.from({ length: MAIL_SINK_MAX_CLIENTS }, greeting));
      held.push(...served.map((client) => client.socket));
      expect(served.filter((client) => !client.line.startsWith('220 '))).toEqual([]);
      const extra = await greeting();
      held.push(extra.socket);
      expect(extra.line).toMatch(/^421 /);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('refuses a message over its size with 552 and does not store it', async () => {
    const before = (await listMail()).items[0]?.id;
    await expect(sendMail('127.0.0.40', 'Too big', 'x'.repeat(MAIL_MAX_MESSAGE + KIB))).rejects.toMatchObject({ responseCode: 552 });
    expect((await listMail()).items[0]?.id).toBe(before);
  });

  it('refuses a client past its bytes per second with 452 (try later), and still takes other clients', async () => {
    const text = 'm'.repeat(40 * KIB);
    await sendMail('127.0.0.41', 'Within the budget', text);
    await expect(sendMail('127.0.0.41', 'Past the budget', text)).rejects.toMatchObject({ responseCode: 452 });
    await sendMail('127.0.0.42', 'Another client', text);
    const subjects = (await listMail()).items.map((m) => m.subject);
    expect(subjects.slice(0, 2)).toEqual(['Another client', 'Within the budget']);
    expect(subjects).not.toContain('Past the budget');
  });

  it('keeps the newest messages within its count, listed without bodies and read whole by ID', async () => {
    for (const n of [1, 2, 3, 4, 5]) await sendMail('127.0.0.43', `Kept ${n}`, `body ${n}`);
    const kept = await eventually(async () => (await listMail()).items, (items) => items.length === MAIL_MAX_ITEMS, 5_000, `the mailbox trimmed to ${MAIL_MAX_ITEMS}`);
    expect(kept.map((m) => m.subject)).toEqual(['Kept 5', 'Kept 4', 'Kept 3']);
    expect(Object.keys(kept[0]!)).not.toContain('text_body');
    expect(kept[0]).toMatchObject({ preview: 'body 5\n' });

    const whole = await get(`/api/v1/mailbox/${kept[0]!.id}`);
    expect(whole.json).toMatchObject({ subject: 'Kept 5', text_body: 'body 5\n', headers: { subject: 'Kept 5' } });

    const page = (await get('/api/v1/mailbox?limit=2')).json as unknown as Page<MailSummary>;
    expect(page.items.map((m) => m.subject)).toEqual(['Kept 5', 'Kept 4']);
  });
});

import type amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { toDeadLetterRow } from '../../../src-main/dead-letters/dead-letter-message';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const JOB_ID = '0b7c1a52-4f7e-4c2a-9d8e-2f1b3c4d5e6f';

function message(body: string, headers: Record<string, unknown>, timestamp = 1_765_000_000): amqp.Message {
  return { content: Buffer.from(body), fields: {} as amqp.MessageFields, properties: { headers, timestamp } as amqp.MessageProperties };
}

const jobBody = (extra: Record<string, unknown>) =>
  JSON.stringify({ v: 1, uuid: JOB_ID, type: 'B', kind: 'callback', created_at: '2026-12-07T10:00:00.000Z', extra_data: extra });

describe('a dead-letter message as it is kept', () => {
  it("keeps a job's message without kind B's secret, keyed by the job and its attempts", () => {
    const row = toDeadLetterRow('callback', message(jobBody({ callback_url: 'http://x/', duration_ms: 0, secret: SECRET }), { 'x-jobdeck-error': 'boom', 'x-jobdeck-attempts': 3 }));
    expect(row).toMatchObject({ dedupKey: `job:${JOB_ID}:3`, jobId: JOB_ID, kind: 'callback', error: 'boom', attempts: 3, createdAt: '2026-12-07T10:00:00.000Z' });
    expect(row.payload).toEqual({ callback_url: 'http://x/', duration_ms: 0 });
    expect(row.body.toString()).not.toContain(SECRET);
    expect(JSON.parse(row.body.toString())).toMatchObject({ uuid: JOB_ID, extra_data: { duration_ms: 0 } });
    expect(row.deadAt.toISOString()).toBe(new Date(1_765_000_000_000).toISOString());
  });

  it('removes the secret from a malformed kind B body routed to its queue, and keeps a body that is not JSON as it came', () => {
    const malformed = toDeadLetterRow('callback', message(JSON.stringify({ v: 9, extra_data: { secret: SECRET } }), { 'x-jobdeck-error': 'not a job: unsupported version 9' }));
    expect(malformed.body.toString()).not.toContain(SECRET);
    expect(malformed.jobId).toBeNull();
    const raw = toDeadLetterRow('log', message('\u0000not json', { 'x-jobdeck-error': 'not a job: body is not JSON' }));
    expect(raw.body.toString()).toBe('\u0000not json');
    expect(raw).toMatchObject({ jobId: null, attempts: null, payload: null });
  });

  it('gives a redelivery the same key, and another message another one', () => {
    const once = toDeadLetterRow('log', message('odd', { 'x-jobdeck-error': 'not a job' }));
    const again = toDeadLetterRow('log', message('odd', { 'x-jobdeck-error': 'not a job' }));
    const later = toDeadLetterRow('log', message('odd', { 'x-jobdeck-error': 'not a job' }, 1_765_000_009));
    expect(again.dedupKey).toBe(once.dedupKey);
    expect(later.dedupKey).not.toBe(once.dedupKey);
    // Any other kind's payload keeps a field named secret: only kind B's is a signing secret.
    const email = toDeadLetterRow('email', message(JSON.stringify({ v: 1, uuid: JOB_ID, kind: 'email', extra_data: { secret: 'plain' } }), { 'x-jobdeck-attempts': 1 }));
    expect(email.payload).toEqual({ secret: 'plain' });
  });
});

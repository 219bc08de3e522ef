import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src-shared/audit-schemas';
import { apiWith, call, expectProblem } from '../../support/api-app';

describe('the audit hook', () => {
  it('records a refused submit with its problem, and leaves validations, dry runs and the inbox out', async () => {
    const rows: AuditEntry[] = [];
    const app = await apiWith({ audit: { store: {} as never, recorder: { record: (entry) => rows.push(entry) } } });
    try {
      expectProblem(await call(app, 'POST', '/api/v1/jobs', { kind: 'nope', payload: { subject: 1 } }), 400);
      await call(app, 'POST', '/api/v1/jobs/validate', { kind: 'email', payload: {} });
      await call(app, 'POST', '/api/v1/operations', { action: 'retry', query: 'status:FAILED', dry_run: true }).catch(() => undefined);
      await call(app, 'GET', '/api/v1/queues').catch(() => undefined);
      await call(app, 'POST', '/api/v1/inbox/anything', { a: 1 }).catch(() => undefined);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor: 'local',
        role: 'write',
        verb: 'jobs.submit',
        target: null,
        route: 'POST /api/v1/jobs',
        params: { kind: 'nope', payload: { subject: 1 } },
        result: { status: 400, outcome: 'refused', title: 'Bad Request', detail: expect.stringContaining('kind') },
      });
    } finally {
      await app.close();
    }
  });

  it('bounds the rows of requests without a valid token per client address, and summarizes the rest when it closes', async () => {
    const rows: AuditEntry[] = [];
    const access = { required: true, identify: (token: string) => (token === 'good' ? { name: 'ops', role: 'write' as const } : null) };
    const app = await apiWith({ access, audit: { store: {} as never, recorder: { record: (entry) => rows.push(entry) } } });
    try {
      for (let i = 0; i < 35; i++) expectProblem(await call(app, 'POST', '/api/v1/queues/log/purge'), 401);
      expectProblem(await call(app, 'POST', '/api/v1/jobs', { kind: 'nope', payload: {} }, { authorization: 'Bearer good' }), 400);
      expect(rows).toHaveLength(31);
      expect(rows.filter((row) => row.actor === 'anonymous')).toHaveLength(30);
      expect(rows[30]).toMatchObject({ actor: 'ops', verb: 'jobs.submit' });
    } finally {
      await app.close();
    }
    expect(rows[31]).toMatchObject({ actor: 'anonymous', role: 'none', verb: 'audit.suppressed', params: { address: '127.0.0.1', count: 5 } });
  });

  it('stores NUL and lone surrogates as U+FFFD and cuts a long target', async () => {
    const rows: AuditEntry[] = [];
    const app = await apiWith({ audit: { store: {} as never, recorder: { record: (entry) => rows.push(entry) } } });
    try {
      await call(app, 'POST', '/api/v1/jobs', '{"kind":"\\u0000","payload":{"k\\u0000":"\\udc00"}}');
      await call(app, 'POST', `/api/v1/subscriptions/${'x'.repeat(99)}%00/deliveries/${'y'.repeat(100)}/redeliver`);
      expect(rows[0]!.params).toEqual({ kind: '\uFFFD', payload: { 'k\uFFFD': '\uFFFD' } });
      expect(rows[1]!.target).toBe(`${'x'.repeat(99)}\uFFFD/${'y'.repeat(99)}…`);
      expect(rows.map((row) => JSON.stringify(row))).not.toEqual(expect.arrayContaining([expect.stringMatching(/\\u0000|\\ud[89a-f]/)]));
    } finally {
      await app.close();
    }
  });

  it('never fails the request when recording fails: it logs and answers as it would', async () => {
    const lines: string[] = [];
    const record = () => {
      throw new Error('recorder broken');
    };
    const app = await apiWith({ audit: { store: {} as never, recorder: { record } }, onLog: (line) => lines.push(line) });
    try {
      expectProblem(await call(app, 'POST', '/api/v1/jobs', { kind: 'nope', payload: { subject: 1 } }), 400);
      expect(lines).toEqual(['audit trail: recording POST /api/v1/jobs failed: recorder broken']);
    } finally {
      await app.close();
    }
  });
});

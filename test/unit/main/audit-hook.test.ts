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

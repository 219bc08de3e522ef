import { describe, expect, it } from 'vitest';
import { parseAuditQuery } from '../../../src-shared/audit-query';
import { auditQueryOf, NO_AUDIT_FILTER } from '../../../src-renderer/store/audit-slice';
import { auditEntityOf } from '../../../src-renderer/views/audit/audit-target';
import { setupStore } from './store-fixture';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');

describe('audit slice', () => {
  it('builds q from the filters, quoting what needs it, the span counted back from now', () => {
    expect(auditQueryOf(NO_AUDIT_FILTER, NOW)).toBe('');
    const q = auditQueryOf({ actor: 'ci bot', verb: 'jobs', result: 'refused', span: '1h', text: 'target:ab12 purge' }, NOW);
    expect(q).toBe('actor:"ci bot" verb:jobs result:refused after:2026-12-07T11:00:00.000Z target:ab12 purge');
    expect(parseAuditQuery(q)).toHaveLength(6);
  });

  it('reads the first page with the filter and appends the next with the same q', async () => {
    const { bridge, store } = setupStore();
    const row = (id: string) => ({ id, at: '2026-12-07T11:59:00.000Z', actor: 'local', role: 'write', verb: 'jobs.submit', target: id, route: 'POST /api/v1/jobs', params: null, result: { status: 202, outcome: 'ok' as const, title: null, detail: null } });
    bridge.listAudit.mockResolvedValueOnce({ items: [row('b')], next_cursor: 'next' }).mockResolvedValueOnce({ items: [row('a')], next_cursor: null });
    await store.getState().loadAudit({ ...NO_AUDIT_FILTER, verb: 'jobs' });
    await store.getState().loadMoreAudit();
    expect(bridge.listAudit.mock.calls.map(([request]) => request)).toEqual([
      { q: 'verb:jobs', limit: 100 },
      { q: 'verb:jobs', limit: 100, cursor: 'next' },
    ]);
    expect(store.getState().audit.data?.items.map((item) => item.id)).toEqual(['b', 'a']);
  });

  it('links a target that is a job, batch, schedule, subscription or delivery', () => {
    expect(auditEntityOf({ verb: 'jobs.cancel', target: 'j1' })).toEqual({ kind: 'job', id: 'j1' });
    expect(auditEntityOf({ verb: 'batches.create', target: 'b1' })).toEqual({ kind: 'batch', id: 'b1' });
    expect(auditEntityOf({ verb: 'subscriptions.deliveries.redeliver', target: 's1/d1' })).toEqual({ kind: 'delivery', id: 'd1', subscriptionId: 's1' });
    expect(auditEntityOf({ verb: 'queues.purge', target: 'log' })).toBeNull();
    expect(auditEntityOf({ verb: 'jobs.submit', target: null })).toBeNull();
  });
});

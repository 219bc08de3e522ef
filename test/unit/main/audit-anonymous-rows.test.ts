import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../../src-shared/audit-schemas';
import { addressKeyOf, AnonymousRows } from '../../../src-main/audit/anonymous-rows';

const refused = (): AuditEntry => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  actor: 'anonymous',
  role: 'none',
  verb: 'jobs.submit',
  target: null,
  route: 'POST /api/v1/jobs',
  params: null,
  result: { status: 401, outcome: 'refused', title: 'Unauthorized', detail: null },
});

describe('the bound on anonymous rows', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('records 30 rows a minute per address, counts the rest, and writes one audit.suppressed row per address when the minute ends', () => {
    vi.useFakeTimers();
    const rows: AuditEntry[] = [];
    const anonymous = new AnonymousRows({ record: (entry) => rows.push(entry) });
    for (let i = 0; i < 45; i++) anonymous.record(refused(), '203.0.113.7');
    for (let i = 0; i < 3; i++) anonymous.record(refused(), '198.51.100.1');
    expect(rows).toHaveLength(33);
    vi.advanceTimersByTime(60_000);
    expect(rows).toHaveLength(34);
    expect(rows[33]).toMatchObject({ actor: 'anonymous', role: 'none', verb: 'audit.suppressed', params: { address: '203.0.113.7', count: 15 }, result: { status: 401, outcome: 'refused' } });
    for (let i = 0; i < 30; i++) anonymous.record(refused(), '203.0.113.7');
    expect(rows).toHaveLength(64);
    anonymous.close();
    expect(rows).toHaveLength(64);
  });

  it('lets the least recently seen address go past its bound of addresses, summarizing its count', () => {
    const rows: AuditEntry[] = [];
    const anonymous = new AnonymousRows({ record: (entry) => rows.push(entry), rowsPerWindow: 1, maxAddresses: 2 });
    for (const address of ['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.3']) anonymous.record(refused(), address);
    expect(rows.map((row) => row.verb)).toEqual(['jobs.submit', 'jobs.submit', 'audit.suppressed', 'jobs.submit']);
    expect(rows[2]!.params).toEqual({ address: '10.0.0.1', count: 1 });
    anonymous.close();
  });

  it('counts an IPv6 client by its /64 and a mapped IPv4 one as IPv4', () => {
    expect(addressKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKeyOf('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(addressKeyOf('::ffff:192.0.2.4')).toBe('192.0.2.4');
    expect(addressKeyOf('192.0.2.4')).toBe('192.0.2.4');
  });
});
